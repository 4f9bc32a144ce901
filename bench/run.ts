// npm run bench: what glm-image adds around the upstream, measured against the mock on loopback,
// each figure next to a baseline measured in the same run. Prints a table, writes
// bench/results.json and the results section of BENCHMARKS.md.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { measureBundle } from "@glm-image/edge/bundle-size";
import { startMockServer } from "@glm-image/mock";
import { freePort, root, startService, startWranglerDev } from "@glm-image/testkit";
import { Bench } from "tinybench";
import { actionConcurrency } from "./action-concurrency.ts";
import { installedCliFigures } from "./cli.ts";
import { denoFigures } from "./deno.ts";
import { type Figure, getsPerSecond, latencies, median, percentile, runChild } from "./measure.ts";

const figures: Figure[] = [];
const node = process.execPath;
// The CLI as users run it: its bin, whose shebang sets Node's flags.
const cli = join(root, "packages/cli/bin/glm-image.js");
const probe = join(root, "bench/rss-probe.mjs");
// Async tasks finish at once: figure 3b compares the edge's polling with a floor that polls in a
// tight loop, so the mock's own task time would only hide the difference.
const mock = await startMockServer({ asyncPollsUntilDone: 0 });
const work = await mkdtemp(join(tmpdir(), "glm-image-bench-"));
const cliEnv = { ZHIPU_API_KEY: mock.apiKey, ZHIPU_BASE_URL: mock.baseUrl };
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const record = (figure: Figure) => {
  figures.push(figure);
  console.log(
    `${figure.met ? "ok  " : "MISS"} ${figure.figure}: ${figure.value} ${figure.unit}${figure.baseline === undefined ? "" : ` (baseline ${figure.baseline}, ratio ${figure.ratio})`} target ${figure.target}`,
  );
};

async function cliFigures(): Promise<void> {
  // 1. Wall time of one --save against the mock at 0 ms, next to a bare script making the same two fetches.
  const baselineScript = join(work, "baseline.mjs");
  await writeFile(
    baselineScript,
    `const answer = await (await fetch(process.env.ZHIPU_BASE_URL + "/images/generations", { method: "POST", headers: { authorization: "Bearer " + process.env.ZHIPU_API_KEY, "content-type": "application/json" }, body: JSON.stringify({ model: "glm-image", prompt: "bench", size: "1280x1280", quality: "hd" }) })).json();
const bytes = new Uint8Array(await (await fetch(answer.data[0].url)).arrayBuffer());
(await import("node:fs")).writeFileSync(process.argv[2], bytes);\n`,
  );
  const bench = new Bench({ iterations: 15, warmupIterations: 2, time: 0 });
  bench
    .add("node startup", async () => {
      await runChild(node, ["-e", ""]);
    })
    .add("baseline: two fetches in a bare script", async () => {
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
  const baseline = p50("baseline: two fetches in a bare script");
  const ours = p50("glm-image -p ... --save");
  record({
    figure: "1. CLI wall time, --save, mock at 0 ms (p50)",
    value: round(ours),
    unit: "ms",
    baseline: round(baseline),
    ratio: round(ours / baseline, 2),
    target: "≤ 1.3x baseline",
    met: ours / baseline <= 1.3,
    note: `Node startup alone: ${round(startup)} ms`,
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
    figure: "2. CLI peak RSS, 40 MiB image minus 1 MiB image",
    value: round(large - small),
    unit: "MiB",
    baseline: round(small),
    target: "< 10 MiB",
    met: large - small < 10,
    note: `1 MiB: ${round(small)} MiB, 40 MiB: ${round(large)} MiB`,
  });
  await installedCliFigures({ mock, work, probe, record });
}

async function edgeFigures(): Promise<void> {
  const tokens = Array.from({ length: 10 }, (_, index) => `bench-token-${index}`);
  const state = await mkdtemp(join(tmpdir(), "glm-image-bench-state-"));
  const port = await freePort();
  mock.setLatency(200);
  const edge = await startWranglerDev(port, state, mock.baseUrl, { API_TOKENS: tokens.join(",") });
  try {
    // 3. Cache-miss overhead: the edge's POST minus the direct upstream work (generate + download).
    const direct = await latencies(200, 10, async (index) => {
      const answer = (await (
        await fetch(`${mock.baseUrl}/images/generations`, {
          method: "POST",
          headers: { authorization: `Bearer ${mock.apiKey}` },
          body: JSON.stringify({ prompt: `direct ${index} ${Date.now()}` }),
        })
      ).json()) as { data: Array<{ url: string }> };
      await (await fetch(answer.data[0]?.url ?? "")).arrayBuffer();
    });
    const viaEdge = await latencies(200, 10, async (index) => {
      const response = await fetch(`${edge.origin}/v1/images/generations`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens[index % tokens.length]}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ prompt: `edge ${index} ${Date.now()}` }),
      });
      if (response.status !== 200)
        throw new Error(`edge answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    });
    // 3b. The floor: a bare Worker making the same platform and upstream calls (floor-worker/).
    const floorPort = await freePort();
    const floorState = await mkdtemp(join(tmpdir(), "glm-image-bench-floor-"));
    const floorWorker = await startService(
      "wrangler",
      [
        "dev",
        "--config",
        "bench/floor-worker/wrangler.toml",
        "--ip",
        "127.0.0.1",
        "--port",
        String(floorPort),
        "--inspector-port",
        "0",
        "--persist-to",
        floorState,
        "--var",
        `ZHIPU_BASE_URL:${mock.baseUrl}`,
        "--var",
        `ZHIPU_API_KEY:${mock.apiKey}`,
        "--show-interactive-dev-session=false",
      ],
      {},
      floorPort,
      "/",
    );
    let floor: number[];
    try {
      floor = await latencies(200, 10, async (index) => {
        const response = await fetch(floorWorker.origin, {
          method: "POST",
          body: JSON.stringify({ prompt: `floor ${index} ${Date.now()}` }),
        });
        if (response.status !== 200) throw new Error(`floor answered ${response.status}`);
        await response.arrayBuffer();
      });
    } finally {
      await floorWorker.stop();
      await rm(floorState, { recursive: true, force: true });
    }
    record({
      figure:
        "3b. Edge cache miss vs a bare Worker with the same DO, journal, R2 and upstream calls (p50)",
      value: round(median(viaEdge)),
      unit: "ms",
      baseline: round(median(floor)),
      ratio: round(median(viaEdge) / median(floor), 2),
      target: "≤ 1.2x floor",
      met: median(viaEdge) / median(floor) <= 1.2,
      note: `floor p99 ${round(percentile(floor, 99))} ms; both: async submit (200 ms), polls, download, R2 head + put`,
    });

    const overhead50 = median(viaEdge) - median(direct);
    const overhead99 = percentile(viaEdge, 99) - percentile(direct, 99);
    record({
      figure: "3. Edge cache-miss overhead, p50 (200 requests, concurrency 10, upstream 200 ms)",
      value: round(overhead50),
      unit: "ms",
      baseline: round(median(direct)),
      target: "< 10 ms",
      met: overhead50 < 10,
      note: `p99 overhead ${round(overhead99)} ms; edge p50 ${round(median(viaEdge))} ms, p99 ${round(percentile(viaEdge, 99))} ms; direct p99 ${round(percentile(direct, 99))} ms`,
    });

    // 4. Cache hits: GET /images/{key} and a signed /render, next to a constant-body Worker.
    mock.setLatency(0);
    const minted = (await (
      await fetch(`${edge.origin}/v1/render-urls`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "cache hit bench" }),
      })
    ).json()) as { url: string };
    const renderBytes = (await (await fetch(minted.url)).arrayBuffer()).byteLength;
    const generated = (await (
      await fetch(`${edge.origin}/v1/images/generations`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[1]}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "cache hit bench" }),
      })
    ).json()) as { data: Array<{ url: string }> };
    const imageUrl = generated.data[0]?.url ?? "";
    const baselinePort = await freePort();
    const baselineWorker = await startService(
      "wrangler",
      [
        "dev",
        "--config",
        "bench/baseline-worker/wrangler.toml",
        "--ip",
        "127.0.0.1",
        "--port",
        String(baselinePort),
        "--inspector-port",
        "0",
        "--var",
        `BODY_BYTES:${renderBytes}`,
        "--show-interactive-dev-session=false",
      ],
      {},
      baselinePort,
      "/",
    );
    try {
      const baseline = await getsPerSecond(baselineWorker.origin);
      const images = await getsPerSecond(imageUrl);
      const render = await getsPerSecond(minted.url);
      record({
        figure: "4a. Edge cache hit, GET /images/{key}",
        value: round(images, 0),
        unit: "req/s",
        baseline: round(baseline, 0),
        ratio: round(images / baseline, 2),
        target: "≥ 0.8x baseline",
        met: images / baseline >= 0.8,
      });
      record({
        figure: "4b. Edge cache hit, signed /render",
        value: round(render, 0),
        unit: "req/s",
        baseline: round(baseline, 0),
        ratio: round(render / baseline, 2),
        target: "≥ 0.8x baseline",
        met: render / baseline >= 0.8,
      });
    } finally {
      await baselineWorker.stop();
    }

    // 5. Single flight: 100 concurrent identical /render requests.
    mock.setLatency(200);
    const single = (await (
      await fetch(`${edge.origin}/v1/render-urls`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[2]}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: `single flight ${Date.now()}` }),
      })
    ).json()) as { url: string };
    const before = mock.generations;
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const response = await fetch(single.url);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const wall = performance.now() - started;
    const upstream = mock.generations - before;
    record({
      figure: "5. Single flight: upstream generations for 100 concurrent identical /render",
      value: upstream,
      unit: "generations",
      target: "1",
      met: upstream === 1 && statuses.every((status) => status === 200),
      note: `wall ${round(wall)} ms for all 100 (one generation: 200 ms upstream + download + store)`,
    });
  } finally {
    await edge.stop();
    await rm(state, { recursive: true, force: true });
  }

  // 6. The Worker bundle, and its startup CPU time as `wrangler check startup` profiles it.
  const bundle = measureBundle();
  record({
    figure: "6a. Worker bundle, gzip",
    value: round(bundle.gzip / 1024),
    unit: "KiB",
    target: "< 100 KiB",
    met: bundle.gzip < 100 * 1024,
    note: `raw ${round(bundle.raw / 1024)} KiB`,
  });
  const profilePath = join(work, "startup.cpuprofile");
  await runChild(
    join(root, "node_modules/.bin/wrangler"),
    ["check", "startup", "--outfile", profilePath],
    { WRANGLER_SEND_METRICS: "false" },
  );
  const profile = JSON.parse(await readFile(profilePath, "utf8")) as {
    nodes: Array<{ id: number; callFrame: { functionName: string } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const idle = new Set(
    profile.nodes.filter((item) => item.callFrame.functionName === "(idle)").map((item) => item.id),
  );
  const busyMs =
    profile.samples.reduce(
      (sum, sample, index) => sum + (idle.has(sample) ? 0 : (profile.timeDeltas[index] ?? 0)),
      0,
    ) / 1000;
  record({
    figure: "6b. Worker startup CPU (wrangler check startup)",
    value: round(busyMs),
    unit: "ms",
    target: "< 20 ms",
    met: busyMs < 20,
  });
}

async function actionFigures(): Promise<void> {
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
    figure: "7a. Action: 8 images, mock at 1000 ms, concurrency 4 (wall)",
    value: round(run.wallMs / 1000, 2),
    unit: "s",
    baseline: 2,
    target: "< 2.6 s",
    met: run.wallMs < 2600,
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
    figure: "7b. Action: dist/index.js cold start to run() (p50, process age at exit)",
    value: round(median(cold)),
    unit: "ms",
    baseline: round(median(startup)),
    target: "< 200 ms",
    met: median(cold) < 200,
    note: `dist/index.js ${round(size / 1024)} KiB; baseline: an empty Node process`,
  });
  record(await actionConcurrency());
}

// `npm run bench -- edge` runs one face's figures (cli, edge, deno, action); no argument runs them all.
const only = process.argv[2];
const faces = {
  cli: cliFigures,
  edge: edgeFigures,
  deno: () => denoFigures(mock, record),
  action: actionFigures,
};
try {
  for (const [face, measure] of Object.entries(faces)) {
    if (only === undefined || only === face) await measure();
  }
} finally {
  await mock.close();
  await rm(work, { recursive: true, force: true });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${round(totalmem() / 2 ** 30, 0)} GiB, Node ${process.versions.node}`;
const table = [
  "| figure | value | baseline | ratio | target | met | note |",
  "|---|---|---|---|---|---|---|",
  ...figures.map(
    (figure) =>
      `| ${figure.figure} | ${figure.value} ${figure.unit} | ${figure.baseline ?? ""} | ${figure.ratio ?? ""} | ${figure.target} | ${figure.met ? "yes" : "**no**"} | ${figure.note ?? ""} |`,
  ),
].join("\n");
console.log(`\n${table}`);
// Only a whole run replaces the recorded results.
if (only === undefined) {
  await writeFile(
    join(root, "bench/results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), machine, figures }, null, 2)}\n`,
  );
  const markdown = await readFile(join(root, "BENCHMARKS.md"), "utf8");
  const marker = "<!-- results -->";
  await writeFile(
    join(root, "BENCHMARKS.md"),
    `${markdown.split(marker)[0]}${marker}\nLast run: ${new Date().toISOString().slice(0, 10)}, ${machine}, \`npm run bench\`.\n\n${table}\n`,
  );
}
process.exitCode = 0;
