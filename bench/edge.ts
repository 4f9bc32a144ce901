// The edge under `wrangler dev` (figures 3 to 6), against the mock on loopback. Called from run.ts
// (`npm run bench -- edge`).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureBundle } from "@glm-image/edge/bundle-size";
import { freePort, root, startService, startWranglerDev } from "@glm-image/testkit";
import {
  type BenchContext,
  getsPerSecond,
  latencies,
  median,
  percentile,
  round,
  runChild,
  throughputFigure,
} from "./measure.ts";

/** 3 to 6: the edge under `wrangler dev`. */
export async function edgeFigures({ mock, work, record }: BenchContext): Promise<void> {
  const tokens = Array.from({ length: 10 }, (_, index) => `bench-token-${index}`);
  const state = await mkdtemp(join(tmpdir(), "glm-image-bench-state-"));
  const port = await freePort();
  mock.setLatency(200);
  // LOG_LEVEL=warn: the floor (3b) writes no log lines, and wrangler dev forwards each one the
  // edge writes (two per cache miss at the default level); the journal and polling are measured.
  const edge = await startWranglerDev(port, state, mock.baseUrl, {
    API_TOKENS: tokens.join(","),
    LOG_LEVEL: "warn",
  });
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
      id: "3b",
      figure:
        "Edge cache miss vs a bare Worker with the same DO, journal, R2 and upstream calls (p50)",
      value: round(median(viaEdge)),
      unit: "ms",
      baseline: round(median(floor)),
      target: { of: "ratio", op: "≤", limit: 1.1 },
      note: `floor p99 ${round(percentile(floor, 99))} ms; both: async submit (200 ms), polls, download, R2 head + put`,
    });

    const overhead50 = median(viaEdge) - median(direct);
    const overhead99 = percentile(viaEdge, 99) - percentile(direct, 99);
    record({
      id: "3",
      figure: "Edge cache-miss overhead, p50 (200 requests, concurrency 10, upstream 200 ms)",
      value: round(overhead50),
      unit: "ms",
      baseline: round(median(direct)),
      target: { of: "value", op: "<", limit: 10 },
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
      record(throughputFigure("4a", "Edge cache hit, GET /images/{key}", images, baseline, 0.9));
      record(throughputFigure("4b", "Edge cache hit, signed /render", render, baseline, 0.9));
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
      id: "5",
      figure: "Single flight: upstream generations for 100 concurrent identical /render",
      value: upstream,
      unit: "generations",
      target: { of: "value", op: "=", limit: 1 },
      valid: statuses.every((status) => status === 200),
      note: `wall ${round(wall)} ms for all 100 (one generation: 200 ms upstream + download + store)`,
    });
  } finally {
    await edge.stop();
    await rm(state, { recursive: true, force: true });
  }

  // 6. The Worker bundle, and its startup CPU time as `wrangler check startup` profiles it.
  const bundle = measureBundle();
  record({
    id: "6a",
    figure: "Worker bundle, gzip: what every route but /mcp loads",
    value: round(bundle.gzip / 1024),
    unit: "KiB",
    target: { of: "value", op: "<", limit: 100 },
    note: `raw ${round(bundle.raw / 1024)} KiB`,
  });
  record({
    id: "6c",
    figure: "Worker upload, gzip, the MCP server's module included",
    value: round(bundle.withMcpGzip / 1024),
    unit: "KiB",
    target: { of: "value", op: "<", limit: 160 },
    note: `${bundle.modules} modules`,
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
    id: "6b",
    figure: "Worker startup CPU (wrangler check startup)",
    value: round(busyMs),
    unit: "ms",
    target: { of: "value", op: "<", limit: 20 },
  });
}
