// The installed CLI (`npm pack` + `npm install` of core, node and cli, as users get it): cold
// start and peak RSS, next to a bare `node -e 0` and a bare script that fetches the same image; and
// the CLI from the workspace (figures 1 and 2).

import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MockServer } from "@glm-image/mock";
import { openJournal } from "@glm-image/node";
import { root } from "@glm-image/testkit";
import { Bench } from "tinybench";
import { packAndInstall } from "../scripts/pack-install.ts";
import { type BenchContext, type Figure, median, round, runChild } from "./measure.ts";

const RUNS = 7;

/**
 * The baseline: a bare script making the same calls as `glm-image -p bench --save FILE` (glm-image
 * goes through the async API: submit, poll until done, download), with no journal, no checks.
 */
async function writeBareFetch(path: string): Promise<string> {
  await writeFile(
    path,
    `const headers = { authorization: "Bearer " + process.env.ZHIPU_API_KEY, "content-type": "application/json" };
const task = await (await fetch(process.env.ZHIPU_BASE_URL + "/async/images/generations", { method: "POST", headers, body: JSON.stringify({ model: "glm-image", prompt: "bench", size: "1280x1280", quality: "hd" }) })).json();
let result;
do result = await (await fetch(process.env.ZHIPU_BASE_URL + "/async-result/" + task.id, { headers })).json();
while (result.task_status === "PROCESSING");
const bytes = new Uint8Array(await (await fetch(result.image_result[0].url)).arrayBuffer());
(await import("node:fs")).writeFileSync(process.argv[2], bytes);\n`,
  );
  return path;
}

/**
 * What the journal of paid work costs one image, p50 over 100 images: the writes the CLI makes
 * (pending claimed, the task id, the paid URL, the entry removed), in a folder of this run.
 */
async function journalCostMs(work: string): Promise<number> {
  const journal = openJournal(join(work, "journal-cost"));
  const common = {
    attempt: "bench",
    since: 0,
    updated: 0,
    pid: process.pid,
    host: "bench",
    request: {
      prompt: "bench",
      model: "glm-image",
      size: "1280x1280",
      quality: "hd",
      watermark_enabled: true,
    },
  };
  const times: number[] = [];
  for (let index = 0; index < 100; index++) {
    const key = index.toString(16).padStart(64, "0");
    const start = performance.now();
    await journal.claim({ ...common, key, state: "pending" });
    await journal.update({ ...common, key, state: "submitted", task_id: "task" });
    await journal.update({
      ...common,
      key,
      state: "paid",
      url: "http://x/y.png",
      created: 0,
      content_filter: [],
    });
    await journal.remove(key, "bench");
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function installedCliFigures(options: {
  mock: MockServer;
  work: string;
  probe: string;
  record: (figure: Figure) => void;
}): Promise<void> {
  const { mock, work, probe, record } = options;
  // Packed and installed once, for every run.
  const folder = join(work, "installed");
  if (!existsSync(join(folder, "node_modules/.bin/glm-image"))) {
    await packAndInstall(["core", "node", "cli"], folder);
  }
  const glmImage = join(folder, "node_modules/.bin/glm-image");
  const node = process.execPath;
  const env = {
    ZHIPU_API_KEY: mock.apiKey,
    ZHIPU_BASE_URL: mock.baseUrl,
    XDG_STATE_HOME: join(work, "state"),
    NODE_OPTIONS: `--import ${probe}`,
    // The installed bin's shebang finds `node` on PATH: this Node.
    PATH: `${join(node, "..")}:${process.env.PATH}`,
  };
  const bareFetch = await writeBareFetch(join(work, "bare-fetch.mjs"));

  /** Median wall time (ms), CPU time (ms) and peak RSS (MiB) of a command over RUNS runs. */
  const measure = async (command: string, args: string[]) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    const peaks: number[] = [];
    for (let index = 0; index < RUNS; index++) {
      const run = await runChild(command, args, env);
      if (run.status !== 0 || run.maxRssKiB === undefined) {
        throw new Error(`${command} ${args.join(" ")}: ${run.stdout}${run.stderr}`);
      }
      walls.push(run.wallMs);
      cpus.push(run.cpuMs ?? Number.NaN);
      peaks.push(run.maxRssKiB / 1024);
    }
    return { wallMs: median(walls), cpuMs: median(cpus), rssMiB: median(peaks) };
  };

  const empty = await measure(node, ["-e", "0"]);
  const version = await measure(glmImage, ["--version"]);
  const help = await measure(glmImage, ["--help"]);
  const fetched = await measure(node, [bareFetch, join(work, "bare.png")]);
  const saved = await measure(glmImage, ["-p", "bench", "--save", join(work, "installed.png")]);

  record({
    id: "1b",
    figure: "Installed CLI cold start (glm-image --version, p50 of 7)",
    value: round(version.wallMs),
    unit: "ms",
    baseline: round(empty.wallMs),
    target: { of: "ratio", op: "≤", limit: 1.5 },
    note: `baseline: node -e 0; CPU ${round(version.cpuMs)} vs ${round(empty.cpuMs)} ms (${round(version.cpuMs / empty.cpuMs, 2)}x); --help ${round(help.wallMs)} ms (CPU ${round(help.cpuMs)}); a bare fetch of the same image: ${round(fetched.wallMs)} ms, the installed CLI's --save: ${round(saved.wallMs)} ms (CPU ${round(saved.cpuMs)})`,
  });
  record({
    id: "2b",
    figure: "Installed CLI peak RSS, --save, minus a bare fetch of the same image",
    value: round(saved.rssMiB - fetched.rssMiB),
    unit: "MiB",
    baseline: round(fetched.rssMiB),
    target: { of: "value", op: "≤", limit: 8 },
    note: `node -e 0: ${round(empty.rssMiB)} MiB, glm-image --version: ${round(version.rssMiB)} MiB, bare fetch: ${round(fetched.rssMiB)} MiB, glm-image --save: ${round(saved.rssMiB)} MiB`,
  });
}

const node = process.execPath;
// The CLI as users run it: its bin, whose shebang sets Node's flags.
const cli = join(root, "packages/cli/bin/glm-image.js");

/** 1 and 2: the CLI from the workspace, then installed as users get it. */
export async function cliFigures({ mock, work, probe, record }: BenchContext): Promise<void> {
  // The journal in a folder of this run, never the user's state folder.
  const cliEnv = {
    ZHIPU_API_KEY: mock.apiKey,
    ZHIPU_BASE_URL: mock.baseUrl,
    XDG_STATE_HOME: join(work, "state"),
  };
  // 1. Wall time of one --save against the mock at 0 ms, next to a bare script making the same calls.
  const baselineScript = await writeBareFetch(join(work, "baseline.mjs"));
  const bench = new Bench({ iterations: 15, warmupIterations: 2, time: 0 });
  bench
    .add("node startup", async () => {
      await runChild(node, ["-e", ""]);
    })
    .add("baseline: the same calls in a bare script", async () => {
      await runChild(node, [baselineScript, join(work, "baseline.png")], cliEnv);
    })
    .add("glm-image -p ... --save", async () => {
      const run = await runChild(cli, ["-p", "bench", "--save", join(work, "cli.png")], cliEnv);
      if (run.status !== 0) throw new Error(run.stdout + run.stderr);
    });
  await bench.run();
  const p50 = (name: string) => {
    const result = bench.tasks.find((task) => task.name === name)?.result;
    return result && "latency" in result ? result.latency.p50 : Number.NaN;
  };
  const startup = p50("node startup");
  const baseline = p50("baseline: the same calls in a bare script");
  const ours = p50("glm-image -p ... --save");
  record({
    id: "1",
    figure: "CLI wall time, --save, mock at 0 ms (p50 of 15)",
    value: round(ours),
    unit: "ms",
    baseline: round(baseline),
    target: { of: "ratio", op: "≤", limit: 1.2 },
    note: `Node startup alone: ${round(startup)} ms; the journal's writes per image (p50): ${round(await journalCostMs(work), 2)} ms`,
  });

  // 2. Peak RSS saving a 1 MiB and a 40 MiB image.
  const peak = async (size: number) => {
    const runs = [];
    for (let index = 0; index < 3; index++) {
      const run = await runChild(
        cli,
        ["-p", `[mock:large=${size}] rss`, "--save", join(work, `large-${size}.png`)],
        { ...cliEnv, NODE_OPTIONS: `--import ${probe}` },
      );
      if (run.status !== 0 || run.maxRssKiB === undefined) throw new Error(run.stdout + run.stderr);
      runs.push(run.maxRssKiB / 1024);
    }
    return median(runs);
  };
  const small = await peak(1);
  const large = await peak(40);
  record({
    id: "2",
    figure: "CLI peak RSS, 40 MiB image minus 1 MiB image",
    value: round(large - small),
    unit: "MiB",
    baseline: round(small),
    target: { of: "value", op: "<", limit: 10 },
    note: `1 MiB: ${round(small)} MiB, 40 MiB: ${round(large)} MiB`,
  });
  await installedCliFigures({ mock, work, probe, record });
}
