import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { errorCodes, modelNames, modelRules, parseGenerationRequest } from "@glm-image/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { shellWords } from "../test/shell-words.ts";
import { generationInput, parseOptions } from "./options.ts";

const folder = new URL("../../../skills/glm-image-generation/", import.meta.url);
const skill = await readFile(new URL("SKILL.md", folder), "utf8");
const commands = skill.split("\n").filter((line) => line.startsWith("glm-image --"));
const [, frontMatterText = "", body = ""] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(skill) ?? [];
const frontMatter = parse(frontMatterText) as Record<string, unknown>;

/** The keys the Agent Skills specification defines, and no others. */
const specKeys = ["name", "description", "license", "compatibility", "metadata", "allowed-tools"];

describe("skills/glm-image-generation/SKILL.md", () => {
  describe("meets the Agent Skills specification", () => {
    it("has YAML front matter with the specification's keys only", () => {
      expect(Object.keys(frontMatter).length).toBeGreaterThan(0);
      for (const key of Object.keys(frontMatter)) expect(specKeys).toContain(key);
    });

    it("is named as its folder: lowercase words joined by hyphens, at most 64 characters", () => {
      const name = String(frontMatter.name);
      expect(name).toBe(folder.pathname.split("/").filter(Boolean).at(-1));
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(name.length).toBeLessThanOrEqual(64);
    });

    it("describes what it does and when to use it in at most 1024 characters", () => {
      const { description } = frontMatter;
      expect(typeof description).toBe("string");
      expect(String(description).length).toBeGreaterThan(40);
      expect(String(description).length).toBeLessThanOrEqual(1024);
      expect(description).toMatch(/Use when/);
    });

    it("keeps compatibility under 500 characters", () => {
      expect(String(frontMatter.compatibility ?? "").length).toBeLessThanOrEqual(500);
    });

    it("has metadata as a flat map of strings", () => {
      const { metadata } = frontMatter;
      expect(metadata).toBeTypeOf("object");
      expect(Array.isArray(metadata)).toBe(false);
      for (const [key, value] of Object.entries(metadata as object)) {
        expect(typeof value, key).toBe("string");
      }
    });

    it("keeps the prompt guide and the size rules in references/, and links every file", async () => {
      const references = await readdir(new URL("references/", folder));
      expect(references.sort()).toEqual(["prompt-guide.md", "sizes.md"]);
      for (const file of references) expect(body).toContain(`](references/${file})`);
    });

    it("links only to files that exist", () => {
      const links = [...body.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((match) => match[1]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(existsSync(new URL(link ?? "", folder)), link).toBe(true);
    });
  });

  it("points to the MCP server where the host has MCP", () => {
    expect(body).toContain("`glm-image mcp --out-dir DIR`");
    expect(body).toMatch(/https:\/\/<edge>\/mcp/);
  });

  it("gives every model's recommended sizes and size rule in references/sizes.md", async () => {
    const sizes = await readFile(new URL("references/sizes.md", folder), "utf8");
    for (const model of modelNames) {
      const rules = modelRules[model];
      expect(sizes, model).toContain(model);
      for (const size of rules.recommendedSizes) expect(sizes, model).toContain(`| ${size} |`);
      expect(sizes).toContain(
        `${rules.minSide}-${rules.maxSide} px, multiples of ${rules.multipleOf}`,
      );
      expect(sizes).toContain(`at most ${rules.maxPixels} pixels`);
    }
  });

  it("shows a banner prompt in the guide that the CLI would take", async () => {
    const guide = await readFile(new URL("references/prompt-guide.md", folder), "utf8");
    const example = /```text\n(.+)\n```/.exec(guide)?.[1] ?? "";
    expect(parseGenerationRequest({ prompt: example, size: "1728x960" }).prompt).toBe(example);
  });

  it("shows commands", () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
  });

  it.each(commands)("%s parses with our CLI, and its values are valid", (line) => {
    const options = parseOptions(shellWords(line).slice(1));
    if (options.promptFile !== undefined) return;
    const request = parseGenerationRequest(generationInput(options));
    expect(request.prompt).toBe(options.prompt);
  });

  it("tells the user what to do for every error code", () => {
    for (const code of errorCodes) expect(skill).toContain(`\`${code}\``);
  });
});
