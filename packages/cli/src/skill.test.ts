import { readFile } from "node:fs/promises";
import { errorCodes, parseGenerationRequest } from "@glm-image/core";
import { describe, expect, it } from "vitest";
import { shellWords } from "../test/shell-words.ts";
import { generationInput, parseOptions } from "./options.ts";

const skill = await readFile(
  new URL("../../../skills/glm-image-generation/SKILL.md", import.meta.url),
  "utf8",
);
const commands = skill.split("\n").filter((line) => line.startsWith("glm-image --"));

describe("skills/glm-image-generation/SKILL.md", () => {
  it("has front matter with a name and a description", () => {
    expect(skill).toMatch(/^---\nname: glm-image-generation\ndescription: .{40,}\n/);
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
