// Scale figures 9 and 9b: planning a manifest of 100, 1,000 and 10,000 images that are all
// unchanged (the lock file written beforehand with matching sha256s), as the action's dry run
// (`node dist/index.js`, dry-run: true) and as `glm-image batch` (--dry-run when the CLI has it;
// otherwise a batch with everything skipped, which plans the same and pays nothing), both as
// processes, start-up included; and the lock file's size. Called from run.ts (`npm run bench -- plan`).
import { existsSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileSha256, type Lock, planJobs, writeLock } from "@glm-image/node";
import { root } from "@glm-image/testkit";
import { type BenchContext, round, runChild } from "./measure.ts";

export const PLAN_SIZES = [100, 1000, 10_000];
/** Each image file: small, so that the figure is the planning, not hashing disk bytes. */
const FILE_BYTES = 8 * 1024;

const node = process.execPath;
const dist = join(root, "packages/action/dist/index.js");
const cli = join(root, "packages/cli/bin/glm-image.js");

/** A workspace with a manifest of `size` items, their files and a lock that matches them all. */
async function workspaceOf(work: string, size: number): Promise<string> {
  const workspace = join(work, `plan-${size}`);
  if (existsSync(join(workspace, ".glm-image.lock.json"))) return workspace;
  await mkdir(join(workspace, "img"), { recursive: true });
  const items = Array.from({ length: size }, (_, index) => ({
    path: `img/${String(index).padStart(5, "0")}.png`,
    prompt: `plan bench image ${index}: a lighthouse on a cliff at dusk, watercolour`,
  }));
  await writeFile(
    join(workspace, "images.yml"),
    items.map((item) => `- path: ${item.path}\n  prompt: "${item.prompt}"\n`).join(""),
  );
  const filler = Buffer.alloc(FILE_BYTES, 7);
  for (const [index, item] of items.entries()) {
    await writeFile(join(workspace, item.path), Buffer.concat([Buffer.from(`${index}\n`), filler]));
  }
  // The lock as a run that generated them would leave it: the keys from the same planner.
  const jobs = await planJobs({ manifest: "images.yml" }, workspace);
  const lock: Lock = { version: 1, images: {} };
  for (const job of jobs) {
    lock.images[job.path] = {
      key: job.key,
      sha256: (await fileSha256(job.absolutePath)) ?? "",
      prompt: job.request.prompt,
      model: job.request.model,
      size: job.request.size,
      quality: job.request.quality,
      image_url: `https://example.com/${job.key}.png`,
    };
  }
  await writeLock(join(workspace, ".glm-image.lock.json"), lock);
  return workspace;
}

/** The action's dry run of the workspace's manifest: wall ms, and whether it skipped them all. */
async function actionDryRun(workspace: string, size: number, mockBaseUrl: string) {
  const output = join(workspace, "github-output");
  const summary = join(workspace, "github-summary");
  await writeFile(output, "");
  await writeFile(summary, "");
  const run = await runChild(node, [dist], {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_MANIFEST: "images.yml",
    "INPUT_DRY-RUN": "true",
    "INPUT_API-KEY": "bench-key",
    "INPUT_BASE-URL": mockBaseUrl,
    "INPUT_UPLOAD-ARTIFACT": "false",
  });
  const outputs = await readFile(output, "utf8");
  const outputOf = (name: string) =>
    new RegExp(`^${name}<<(.+)\\n(.*)\\n\\1$`, "m").exec(outputs)?.[2];
  const valid =
    run.status === 0 && outputOf("planned") === "0" && outputOf("skipped") === String(size);
  if (!valid) console.error(`action dry run of ${size}: ${run.stdout.slice(-2000)}`);
  return { wallMs: run.wallMs, valid };
}

/** `glm-image batch` of the workspace's manifest, everything unchanged. */
async function cliBatch(workspace: string, size: number, mockBaseUrl: string, dryRun: boolean) {
  const run = await runChild(
    cli,
    ["batch", "images.yml", "--quiet", ...(dryRun ? ["--dry-run"] : [])],
    { ZHIPU_API_KEY: "bench-key", ZHIPU_BASE_URL: mockBaseUrl },
    workspace,
  );
  const summary = run.stdout.trim().split("\n").at(-1) ?? "";
  const valid = run.status === 0 && summary.includes(`"skipped":${size}`);
  if (!valid) console.error(`glm-image batch of ${size}: ${run.stderr.slice(-2000)}`);
  return { wallMs: run.wallMs, valid };
}

export async function planFigures({ mock, work, point }: BenchContext): Promise<void> {
  const dryRun = (await runChild(cli, ["--help"])).stdout.includes("--dry-run");
  const cliSeries = dryRun
    ? "glm-image batch --dry-run"
    : "glm-image batch, all skipped (no --dry-run in the CLI yet)";
  const figure = "9. Planning a manifest, all unchanged (process wall time)";
  for (const size of PLAN_SIZES) {
    const workspace = await workspaceOf(work, size);
    const before = mock.generations;
    const action = await actionDryRun(workspace, size, mock.baseUrl);
    const batch = await cliBatch(workspace, size, mock.baseUrl, dryRun);
    const paid = mock.generations - before;
    const common = { id: "plan", figure, size, sizeLabel: "manifest items", unit: "ms" };
    point({
      ...common,
      series: "action dry-run (node dist/index.js)",
      value: round(action.wallMs),
      valid: action.valid && paid === 0,
      note: `image files of ${FILE_BYTES / 1024} KiB each (hashing real images adds their bytes); nothing paid`,
    });
    point({
      ...common,
      series: cliSeries,
      value: round(batch.wallMs),
      valid: batch.valid && paid === 0,
    });
    point({
      id: "lock-size",
      figure: "9b. Lock file size",
      series: ".glm-image.lock.json",
      size,
      sizeLabel: "manifest items",
      unit: "KiB",
      value: round((await stat(join(workspace, ".glm-image.lock.json"))).size / 1024),
    });
  }
}
