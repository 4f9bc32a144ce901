import { readFile } from "node:fs/promises";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { actionEnv, applyEnv, captureStdout } from "../test/action-env.ts";
import { inputDefaults, inputsSchema } from "./inputs.ts";
import { run } from "./main.ts";

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

const actionYml = parse(
  await readFile(new URL("../../../action.yml", import.meta.url), "utf8"),
) as ActionYml;
const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");

let mock: MockServer;
let restore: (() => void) | undefined;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
afterEach(() => {
  vi.restoreAllMocks();
  restore?.();
});

describe("action.yml, the code and the README agree", () => {
  it("every input of action.yml is parsed, and nothing else", () => {
    expect(Object.keys(inputsSchema.shape).sort()).toEqual(Object.keys(actionYml.inputs).sort());
  });

  it("the defaults the code applies are action.yml's", () => {
    const declared = Object.fromEntries(
      Object.entries(actionYml.inputs)
        .filter(([name, input]) => input.default !== undefined && name !== "github-token")
        .map(([name, input]) => [name, String(input.default)]),
    );
    expect(inputDefaults).toEqual(declared);
  });

  it("the README's input table lists every input with its default", () => {
    const rows = readme
      .split("## Inputs")[1]
      ?.split("\n## ")[0]
      ?.split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split("|").map((cell) => cell.trim()));
    const documented = new Map<string, string>();
    for (const [, names = "", defaults = ""] of rows ?? []) {
      for (const name of names.match(/`[^`]+`/g) ?? []) documented.set(name.slice(1, -1), defaults);
    }
    expect([...documented.keys()].sort()).toEqual(Object.keys(actionYml.inputs).sort());
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      if (input.default !== undefined) expect(documented.get(name), name).toContain(input.default);
    }
  });

  it.each([
    ["a run that generates", {}],
    ["a dry run", { "dry-run": "true" }],
  ])("%s sets every output of action.yml", async (_, extra) => {
    captureStdout();
    const context = await actionEnv({
      prompt: "x",
      path: "a.png",
      "api-key": mock.apiKey,
      "base-url": mock.baseUrl,
      "upload-artifact": "false",
      ...extra,
    });
    restore = applyEnv(context.env);
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(Object.keys(await context.outputs()).sort()).toEqual(
      Object.keys(actionYml.outputs).sort(),
    );
  });

  it("runs on node24 from the bundle", () => {
    expect(actionYml.runs).toEqual({ using: "node24", main: "packages/action/dist/index.js" });
  });
});
