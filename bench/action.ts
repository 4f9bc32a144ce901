// The bundled action, as a runner starts it (figure 7). Called from run.ts (`npm run bench -- action`).
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "@glm-image/testkit";
import { actionConcurrency } from "./action-concurrency.ts";
import { type BenchContext, median, round, runChild } from "./measure.ts";

const node = process.execPath;

/** 7: the bundled action. */
export async function actionFigures({ mock, probe, record }: BenchContext): Promise<void> {
  // 7. A manifest of 8 images, mock at 1000 ms, concurrency 4; and dist/index.js itself.
  mock.setLatency(1000);
  const dist = join(root, "packages/action/dist/index.js");
  const workspace = await mkdtemp(join(tmpdir(), "glm-image-bench-action-"));
  const output = join(workspace, "output");
  await writeFile(output, "");
  const manifest = Array.from(
    { length: 8 },
    (_, index) => `- {path: img/${index}.png, prompt: "action bench ${index} ${Date.now()}"}`,
  ).join("\n");
  const env = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(workspace, "summary"),
    INPUT_MANIFEST: manifest,
    "INPUT_API-KEY": mock.apiKey,
    "INPUT_BASE-URL": mock.baseUrl,
    INPUT_CONCURRENCY: "4",
    "INPUT_UPLOAD-ARTIFACT": "false",
  };
  await writeFile(env.GITHUB_STEP_SUMMARY, "");
  const run = await runChild(node, [dist], env);
  if (run.status !== 0) throw new Error(run.stdout);
  record({
    id: "7a",
    figure: "Action: 8 images, mock at 1000 ms, concurrency 4 (wall)",
    value: round(run.wallMs / 1000, 2),
    unit: "s",
    baseline: 2,
    target: { of: "value", op: "<", limit: 2.6 },
    note: "baseline: two rounds of 1 s upstream",
  });
  mock.setLatency(0);
  const cold: number[] = [];
  const startup: number[] = [];
  for (let index = 0; index < 10; index++) {
    // No inputs: run() fails at once on them, so the process's age at exit is its cold start to run().
    const probeRun = await runChild(node, ["--import", probe, dist], { GITHUB_OUTPUT: output });
    cold.push(probeRun.uptimeMs ?? Number.NaN);
    startup.push((await runChild(node, ["--import", probe, "-e", ""])).uptimeMs ?? Number.NaN);
  }
  const size = (await readFile(dist)).length;
  record({
    id: "7b",
    figure: "Action: dist/index.js cold start to run() (p50 of 10, process age at exit)",
    value: round(median(cold)),
    unit: "ms",
    baseline: round(median(startup)),
    target: { of: "value", op: "<", limit: 200 },
    note: `dist/index.js ${round(size / 1024)} KiB; baseline: an empty Node process`,
  });
  record(await actionConcurrency());
}
