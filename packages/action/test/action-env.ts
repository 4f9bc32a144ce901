import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";

const summaryFolder = mkdtemp(join(tmpdir(), "glm-image-summary-"));

export interface ActionEnv {
  workspace: string;
  env: Record<string, string>;
  outputs(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

/** The environment the runner gives an action: INPUT_* variables, output and summary files. */
export async function actionEnv(
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<ActionEnv> {
  const workspace = await mkdtemp(join(tmpdir(), "glm-image-action-"));
  const files = await mkdtemp(join(tmpdir(), "glm-image-runner-"));
  const outputFile = join(files, "output");
  // @actions/core keeps the summary path it saw first: one file per process, emptied each time.
  const summaryFile = join(await summaryFolder, "summary");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, "_").toUpperCase()}`,
        value,
      ]),
    ),
    ...extra,
  };
  return {
    workspace,
    env,
    outputs: async () => parseOutputs(await readFile(outputFile, "utf8")),
    summary: () => readFile(summaryFile, "utf8"),
  };
}

/** Reads the `name<<delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const [, name, , value] of text.matchAll(pattern)) {
    if (name !== undefined) outputs[name] = value ?? "";
  }
  return outputs;
}

/** Sets the variables for an in-process run() and gives back a function that removes them. */
export function applyEnv(env: Record<string, string>): () => void {
  const before = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("INPUT_") || name.startsWith("GITHUB_") || name.startsWith("ACTIONS_"))
      delete process.env[name];
  }
  Object.assign(process.env, env);
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in before)) delete process.env[name];
    Object.assign(process.env, before);
    process.exitCode = undefined;
  };
}

/** Collects what @actions/core writes to stdout (workflow commands such as ::error::). */
export function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}
