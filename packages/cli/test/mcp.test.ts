// `glm-image mcp` as an agent host runs it: the built bin as a child process over stdio, driven by
// the MCP SDK's own Client, against the mock ZhiPu server.
import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { journalEntries, MCP_TOOL_NAMES, runProcess } from "@glm-image/testkit";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { mockAndFolder, paidCalls, runCli } from "./run-cli.ts";

const bin = new URL("../bin/glm-image.js", import.meta.url).pathname;
const context = mockAndFolder("glm-image-mcp-");

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; uri?: string; mimeType?: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

/** `glm-image mcp ARGS` started as a host starts it, with the SDK's Client connected. */
async function serve(args: string[] = [], env: Record<string, string> = {}) {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "mcp", ...args],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: join(context.work, "home"),
      XDG_STATE_HOME: join(context.work, "state"),
      ZHIPU_API_KEY: context.mock.apiKey,
      ZHIPU_BASE_URL: context.mock.baseUrl,
      ...env,
    },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client({ name: "glm-image-test", version: "0.0.0" });
  await client.connect(transport);
  const session = {
    client,
    pid: transport.pid,
    stderr: () => stderr.join(""),
    call: (name: string, args: Record<string, unknown>, options = {}) =>
      client.callTool({ name, arguments: args }, options) as Promise<ToolResult>,
    close: () => client.close(),
  };
  open.push(session);
  return session;
}

const outDir = () => join(context.work, "images");

/** `npx @modelcontextprotocol/inspector --cli` (the installed one) on `glm-image mcp`. */
async function inspect(args: string[]) {
  const run = await runProcess(
    "npx",
    [
      "--no-install",
      "@modelcontextprotocol/inspector",
      "--cli",
      ...["-e", `ZHIPU_API_KEY=${context.mock.apiKey}`],
      ...["-e", `ZHIPU_BASE_URL=${context.mock.baseUrl}`],
      ...["-e", `XDG_STATE_HOME=${join(context.work, "state")}`],
      process.execPath,
      bin,
      "mcp",
      "--out-dir",
      outDir(),
      ...args,
    ],
    { env: { PATH: process.env.PATH ?? "", HOME: join(context.work, "home") } },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/** The error of a failed call: JSON in its text (no structuredContent, as 1.x clients expect). */
function errorOf(result: ToolResult): { code: string; message: string } {
  expect(result.isError).toBe(true);
  return JSON.parse(result.content[0]?.text ?? "{}").error;
}

describe("glm-image mcp (stdio)", () => {
  it("lists its tools, generates into --out-dir with a resource_link to the file, paid once", async () => {
    const session = await serve(["--out-dir", outDir()]);
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...MCP_TOOL_NAMES]);
    expect(session.stderr()).toContain(`glm-image mcp: serving over stdio; images in ${outDir()}`);

    const prompt = "a lighthouse at dawn";
    const first = await session.call("generate_image", { prompt, model: "cogview-4" });
    expect(first.isError).toBeFalsy();
    const link = first.content.find((block) => block.type === "resource_link");
    expect(link?.mimeType).toBe("image/png");
    const file = fileURLToPath(link?.uri ?? "");
    expect(file.startsWith(outDir())).toBe(true);
    expect((await readFile(file)).subarray(1, 4).toString()).toBe("PNG");
    expect(first.structuredContent).toMatchObject({ prompt, model: "cogview-4", cached: false });
    // No base64 unless asked.
    expect(first.content.some((block) => block.type === "image")).toBe(false);

    const again = await session.call("generate_image", { prompt, model: "cogview-4" });
    expect(again.structuredContent).toMatchObject({ cached: true, cost: { cny: 0, usd: 0 } });
    expect(paidCalls(context.mock)).toHaveLength(1);

    const estimate = await session.call("estimate_cost", { prompt, model: "cogview-4" });
    expect(estimate.structuredContent).toMatchObject({ planned: 0, cached: 1 });
  });

  it("sends progress while the upstream works, and a cancelled call made again pays once", async () => {
    const session = await serve(["--out-dir", outDir()]);
    const prompt = "[mock:slow-task=6000] a clock tower";
    const controller = new AbortController();
    const cancelled = session.call("generate_image", { prompt }, { signal: controller.signal });
    await expect.poll(() => paidCalls(context.mock).length, { timeout: 5000 }).toBe(1);
    controller.abort();
    await expect(cancelled).rejects.toThrow();

    const progress: string[] = [];
    const retried = await session.call(
      "generate_image",
      { prompt },
      { onprogress: (update: { message?: string }) => progress.push(update.message ?? "") },
    );
    expect(retried.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    expect(paidCalls(context.mock)).toHaveLength(1);
    expect(context.mock.generations).toBe(1);
  }, 30_000);

  it("a server killed while a task runs: the next one resumes it from the journal, paid once", async () => {
    const first = await serve(["--out-dir", outDir()]);
    const prompt = "[mock:slow-task=3000] a paper boat";
    first.call("generate_image", { prompt }).catch(() => {});
    // Killed once the accepted task is journaled.
    const journal = join(context.work, "state", "glm-image", "journal");
    await expect
      .poll(async () => (await journalEntries(journal)).map((entry) => entry.state), {
        timeout: 5000,
      })
      .toEqual(["submitted"]);
    process.kill(first.pid ?? 0, "SIGKILL");

    const second = await serve(["--out-dir", outDir()]);
    const result = await second.call("generate_image", { prompt });
    expect(result.isError, result.content[0]?.text).toBeFalsy();
    expect(paidCalls(context.mock)).toHaveLength(1);
    const images = (await readdir(outDir())).filter((name) => name.endsWith(".png"));
    expect(images).toHaveLength(1);
    expect(await journalEntries(journal)).toEqual([]);
  }, 30_000);

  it("lists, gets and deletes what it keeps", async () => {
    const session = await serve(["--out-dir", outDir()]);
    const made = await session.call("generate_image", { prompt: "a red kite", model: "cogview-4" });
    const key = String(made.structuredContent?.key);
    const listed = await session.call("list_images", {});
    expect(listed.structuredContent).toMatchObject({ images: [{ key, prompt: "a red kite" }] });
    const got = await session.call("get_image", { key });
    expect(got.structuredContent).toMatchObject({ key, url: made.structuredContent?.url });
    const file = fileURLToPath(String(made.structuredContent?.url));

    const deleted = await session.call("delete_image", { key });
    expect(deleted.structuredContent).toEqual({ key, deleted: true });
    await expect(access(file)).rejects.toThrow();
    const gone = await session.call("get_image", { key });
    expect(errorOf(gone).code).toBe("not_found");
  });

  it("answers bad input and a missing key as tool errors with their codes", async () => {
    const session = await serve([], { ZHIPU_API_KEY: "" });
    const bad = await session.call("generate_image", { prompt: "a cat", size: "10x10" });
    expect(errorOf(bad).code).toBe("INVALID_SIZE");
    const keyless = await session.call("generate_image", { prompt: "a cat" });
    expect(errorOf(keyless).code).toBe("MISSING_API_KEY");
    const embed = await session.call("embed_image", { prompt: "a cat" });
    expect(errorOf(embed)).toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("--edge-url"),
    });
    expect(paidCalls(context.mock)).toHaveLength(0);
  });

  it("the MCP Inspector's CLI lists its tools and calls generate_image", async () => {
    const listed = await inspect(["--method", "tools/list"]);
    expect(listed.tools.map((tool: { name: string }) => tool.name)).toContain("generate_image");
    const called = await inspect([
      ...["--method", "tools/call", "--tool-name", "generate_image"],
      ...["--tool-arg", "prompt=a green lantern", "--tool-arg", "model=cogview-4"],
    ]);
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent).toMatchObject({ prompt: "a green lantern", cached: false });
    expect(paidCalls(context.mock)).toHaveLength(1);
  }, 60_000);

  it("saves under the state folder without --out-dir, and refuses options it has no use for", async () => {
    const session = await serve();
    const made = await session.call("generate_image", {
      prompt: "a blue door",
      model: "cogview-4",
    });
    const file = fileURLToPath(String(made.structuredContent?.url));
    expect(file.startsWith(join(context.work, "state", "glm-image", "images"))).toBe(true);

    const refused = await runCli(["mcp", "--prompt", "a cat", "--save", "x.png"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      "glm-image: error: mcp takes each request from the host's tool calls; it has no --prompt, --save",
    );
  });
});
