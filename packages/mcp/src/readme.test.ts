// Every host configuration in the README is what that host reads: parsed, and its shape checked.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import * as z from "zod";

const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");

/** The fenced blocks of the section under `### heading`. */
function blocks(heading: string, language: string): string[] {
  const section = readme.split(/^### /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
  const fence = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g");
  return [...section.matchAll(fence)].map((match) => match[1] ?? "");
}

const onlyJson = (heading: string) => {
  const found = blocks(heading, "json");
  expect(found, heading).toHaveLength(1);
  return JSON.parse(found[0] ?? "") as unknown;
};

/** The stdio server every host starts: `glm-image mcp`, with only the flags it takes. */
const stdioArgs = z.tuple([z.literal("mcp"), z.literal("--out-dir"), z.string().min(1)]);
const keyInEnv = z.object({ ZHIPU_API_KEY: z.string().min(1) }).strict();
const remote = {
  url: z.literal("https://<edge>/mcp"),
  headers: z.object({ Authorization: z.literal("Bearer <token>") }).strict(),
};

describe("README host configurations", () => {
  it("Claude Desktop: claude_desktop_config.json with mcpServers", () => {
    z.object({
      mcpServers: z.object({
        "glm-image": z.object({ command: z.literal("glm-image"), args: stdioArgs, env: keyInEnv }),
      }),
    }).parse(onlyJson("Claude Desktop"));
  });

  it("Cursor: .cursor/mcp.json with mcpServers, stdio and remote", () => {
    const config = z
      .object({
        mcpServers: z.object({
          "glm-image": z.object({
            command: z.literal("glm-image"),
            args: stdioArgs,
            env: keyInEnv,
          }),
          "glm-image-edge": z.object(remote).strict(),
        }),
      })
      .parse(onlyJson("Cursor"));
    expect(Object.keys(config.mcpServers)).toHaveLength(2);
  });

  it("VS Code: .vscode/mcp.json with servers, each with its type, and the inputs it uses", () => {
    const config = z
      .object({
        inputs: z.array(z.object({ type: z.literal("promptString"), id: z.string() })),
        servers: z.object({
          "glm-image": z.object({
            type: z.literal("stdio"),
            command: z.literal("glm-image"),
            args: stdioArgs,
            env: z.object({ ZHIPU_API_KEY: z.string() }),
          }),
          "glm-image-edge": z.object({ type: z.literal("http"), ...remote }).strict(),
        }),
      })
      .strict()
      .parse(onlyJson("VS Code"));
    const used = [...JSON.stringify(config.servers).matchAll(/\$\{input:([^}]+)\}/g)].map(
      (match) => match[1],
    );
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(config.inputs.map((input) => input.id)).toContain(id);
  });

  it("Claude Code: claude mcp add, for stdio and for the remote form with a header", () => {
    const lines = blocks("Claude Code", "sh").flatMap((block) => block.trim().split("\n"));
    expect(lines).toContain("claude mcp add glm-image -- glm-image mcp");
    expect(lines).toContain(
      "claude mcp add --transport stdio --env ZHIPU_API_KEY=your-key glm-image -- glm-image mcp --out-dir images",
    );
    expect(lines).toContain(
      'claude mcp add --transport http glm-image https://<edge>/mcp --header "Authorization: Bearer <token>"',
    );
  });

  it("names the generic stdio command and the remote endpoint", () => {
    expect(readme).toContain("`glm-image mcp --out-dir DIR`");
    expect(readme).toContain("`Authorization: Bearer <token>`");
  });
});
