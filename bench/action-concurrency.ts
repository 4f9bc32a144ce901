// The action's `concurrency: auto` (AIMD) against an account limited to 2 concurrent requests:
// the mock answers 429 1302 above 2, each image takes 1000 ms, 12 images. The floor is 6 s (six
// rounds of two). The figure is the wall time of the action's run() in this process, from reading
// its inputs to its summary (downloads and files included; the process start-up is figure 7b),
// next to the same run with concurrency fixed at the account's limit (an oracle). No image may fail.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "@glm-image/action";
import { startMockServer } from "@glm-image/mock";
import type { Figure } from "./measure.ts";

const IMAGES = 12;
// @actions/core keeps the first summary path it sees: one file for every run of this process.
const summary = join(await mkdtemp(join(tmpdir(), "glm-image-bench-summary-")), "summary");
const FLOOR_MS = (IMAGES / 2) * 1000;

/** One in-process run of the action; answers its wall time and how many images it generated. */
async function runAction(concurrency: string) {
  const mock = await startMockServer({ maxConcurrent: 2, latencyMs: 1000 });
  const workspace = await mkdtemp(join(tmpdir(), "glm-image-bench-aimd-"));
  const output = join(workspace, "output");
  await writeFile(output, "");
  await writeFile(summary, "");
  const manifest = Array.from(
    { length: IMAGES },
    // Small images: the mock draws each PNG on its own event loop, and big ones would slow the
    // mock's answers, which this figure is not about.
    (_, index) =>
      `- {path: img/${index}.png, prompt: "aimd bench ${index}", model: cogview-3-flash, size: 512x512}`,
  ).join("\n");
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_MANIFEST: manifest,
    "INPUT_API-KEY": mock.apiKey,
    "INPUT_BASE-URL": mock.baseUrl,
    INPUT_CONCURRENCY: concurrency,
    "INPUT_UPLOAD-ARTIFACT": "false",
  };
  const saved = { ...process.env };
  const write = process.stdout.write;
  Object.assign(process.env, env);
  // The workflow commands the action prints (::debug:: and the like) are not the bench's output.
  const printed: string[] = [];
  process.stdout.write = (chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  };
  const start = performance.now();
  try {
    await run();
    const wallMs = performance.now() - start;
    const generated = /generated<<(.+)\n(\d+)\n/.exec(await readFile(output, "utf8"))?.[2];
    return {
      wallMs,
      generated: Number(generated ?? 0),
      failed: process.exitCode === 1,
      errors: printed.filter((line) => line.startsWith("::error::")).join(""),
      refused: mock.requests.length - mock.generations,
    };
  } finally {
    process.stdout.write = write;
    for (const name of Object.keys(env)) delete process.env[name];
    Object.assign(process.env, saved);
    process.exitCode = undefined;
    await mock.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

export async function actionConcurrency(): Promise<Figure> {
  const oracle = await runAction("2");
  const auto = await runAction("auto");
  const ok = !auto.failed && auto.generated === IMAGES;
  if (auto.failed) console.error(auto.errors);
  return {
    id: "7c",
    figure: "Action: concurrency auto, 12 images, account limit 2, 1000 ms each (wall of run())",
    value: Number((auto.wallMs / 1000).toFixed(2)),
    unit: "s",
    baseline: FLOOR_MS / 1000,
    target: { of: "ratio", op: "<", limit: 1.15 },
    valid: ok,
    note: `${auto.generated} of ${IMAGES} generated, ${auto.refused} calls answered 429 1302 (probes); concurrency fixed at 2: ${(oracle.wallMs / 1000).toFixed(2)} s; baseline: six rounds of two`,
  };
}

if (import.meta.main) console.log(await actionConcurrency());
