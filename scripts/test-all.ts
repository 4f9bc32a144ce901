// Runs every workspace's test script in turn, then the root's (`npm run test:root`: the quick
// start in a fresh clone), streams their output, and closes with one line that adds them up:
// "N passed, N failed". Exits non-zero when any suite fails, when a suite printed noise that a
// green run must not print (wrangler's "Missing required secrets", workerd's stack traces and
// uncaught exceptions), or when the run changed what `git status` shows (a test that writes a
// tracked file, or an untracked one nothing ignores).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const { workspaces } = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
  workspaces: string[];
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are control characters
const ansi = /\u001b\[[0-9;]*m/g;

/** Counts from the closing lines of node --test, deno test and vitest. */
export function countResults(output: string): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const line of output.replace(ansi, "").split("\n")) {
    const node = /^ℹ (pass|fail) (\d+)$/.exec(line.trim());
    if (node) {
      if (node[1] === "pass") passed += Number(node[2]);
      else failed += Number(node[2]);
      continue;
    }
    const deno = /^(ok|FAILED) \| (\d+) passed.*\| (\d+) failed/.exec(line.trim());
    if (deno) {
      passed += Number(deno[2]);
      failed += Number(deno[3]);
      continue;
    }
    const vitest = /^Tests\s+(.*)\(\d+\)$/.exec(line.trim());
    if (vitest?.[1]) {
      passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
      failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
    }
  }
  return { passed, failed };
}

/** The repository's own tests (its docs and its release), then each workspace's test script. */
const suites: Array<{ name: string; command: string[] }> = [
  {
    name: "repository",
    command: [
      "node",
      "--test",
      "--test-reporter=spec",
      "scripts/install-docs.test.ts",
      "scripts/release.test.ts",
    ],
  },
  ...workspaces.map((workspace) => ({
    name: workspace,
    command: ["npm", "test", "--if-present", "-w", workspace],
  })),
  // Last: the README's quick start, walked in a fresh clone as a newcomer does.
  { name: "root (npm run test:root)", command: ["npm", "run", "test:root"] },
];

function runTests([command, ...args]: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command ?? "npm", args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** What a green run never prints: each is a warning or a trace that someone would chase. */
const noise = [
  /Missing required secrets/,
  /uncaught exception; source = /,
  /\bworkerd@[0-9a-f]{6,}/, // a frame of a workerd stack trace
];

const gitStatus = () =>
  execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
    cwd: root,
    encoding: "utf8",
  });

const statusBefore = gitStatus();
let passed = 0;
let failed = 0;
const broken: string[] = [];
for (const { name, command } of suites) {
  console.log(`\n=== ${name} ===`);
  const result = await runTests(command);
  const counts = countResults(result.output);
  passed += counts.passed;
  failed += counts.failed;
  if (result.code !== 0) broken.push(name);
  const noisy = result.output
    .replace(ansi, "")
    .split("\n")
    .filter((line) => noise.some((pattern) => pattern.test(line)));
  if (noisy.length > 0) {
    console.log(`\n${name} printed what a green run must not:\n${noisy.slice(0, 10).join("\n")}`);
    broken.push(`${name} (noise)`);
  }
}
const statusAfter = gitStatus();
if (statusAfter !== statusBefore) {
  const before = new Set(statusBefore.split("\n"));
  const changed = statusAfter.split("\n").filter((line) => line && !before.has(line));
  console.log(
    `\nThe tests changed the working tree (git status --porcelain):\n${changed.join("\n") || statusAfter}`,
  );
  broken.push("a clean working tree");
}
if (broken.length > 0) console.log(`\nFailing: ${broken.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = broken.length > 0 || failed > 0 ? 1 : 0;
