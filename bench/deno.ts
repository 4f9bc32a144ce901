// The Deno entry's figures, as a serverless host runs it: S3 storage (s3rver on loopback) and
// coordination in a Deno KV file. Called from run.ts (`npm run bench -- deno`).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MockServer } from "@glm-image/mock";
import { freePort, startDenoEdge, startS3Server, startService } from "@glm-image/testkit";
import {
  type BenchContext,
  getsPerSecond,
  latencies,
  median,
  percentile,
  round,
  throughputFigure,
} from "./measure.ts";

/** POSTs one new prompt to a service's generations route; throws unless it answers 200. */
async function generate(origin: string, token: string, prompt: string): Promise<string> {
  const response = await fetch(`${origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
  });
  if (response.status !== 200) {
    throw new Error(`edge answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
}

/** The upstream work alone: generate, then download, straight from the mock. */
async function direct(mock: MockServer, prompt: string): Promise<void> {
  const answer = (await (
    await fetch(`${mock.baseUrl}/images/generations`, {
      method: "POST",
      headers: { authorization: `Bearer ${mock.apiKey}` },
      body: JSON.stringify({ prompt }),
    })
  ).json()) as { data: Array<{ url: string }> };
  await (await fetch(answer.data[0]?.url ?? "")).arrayBuffer();
}

export async function denoFigures({ mock, record }: BenchContext): Promise<void> {
  const tokens = Array.from({ length: 10 }, (_, index) => `bench-token-${index}`);
  const work = await mkdtemp(join(tmpdir(), "glm-image-bench-deno-"));
  const s3 = await startS3Server(join(work, "s3"));
  const edge = await startDenoEdge(mock.baseUrl, join(work, "data"), {
    ...s3.settings,
    KV_PATH: join(work, "kv.sqlite3"),
    API_TOKENS: tokens.join(","),
  });
  try {
    // 3d. Cache-miss overhead: the Deno entry's POST minus the direct upstream work.
    mock.setLatency(200);
    const upstream = await latencies(200, 10, (index) =>
      direct(mock, `deno direct ${index} ${Date.now()}`),
    );
    const viaDeno = await latencies(200, 10, async (index) => {
      await generate(
        edge.origin,
        tokens[index % tokens.length] ?? "",
        `deno ${index} ${Date.now()}`,
      );
    });
    const overhead = median(viaDeno) - median(upstream);
    record({
      id: "3d",
      figure:
        "Deno (S3 + KV) cache-miss overhead, p50 (200 requests, concurrency 10, upstream 200 ms)",
      value: round(overhead),
      unit: "ms",
      baseline: round(median(upstream)),
      target: { of: "figure", op: "≤", figure: "3" },
      note: `p99 overhead ${round(percentile(viaDeno, 99) - percentile(upstream, 99))} ms; Deno p50 ${round(median(viaDeno))} ms; KV lease, journal and S3 head + puts`,
    });

    // 4d. Cache hits: GET /images/{key}, next to `deno serve` answering a constant body.
    mock.setLatency(0);
    const imageUrl = await generate(edge.origin, tokens[0] ?? "", "deno cache hit bench");
    const bytes = (await (await fetch(imageUrl)).arrayBuffer()).byteLength;
    const baselineServer = await constantDeno(bytes, {});
    // A hit comes from memory (http/hot-images.ts); the Cache API is the tier behind it, shown
    // for comparison: the same bytes matched there on every request.
    const floorServer = await constantDeno(bytes, { FROM: "cache" });
    try {
      const baseline = await getsPerSecond(baselineServer.origin);
      const images = await getsPerSecond(imageUrl);
      const floor = await getsPerSecond(floorServer.origin);
      record(
        throughputFigure(
          "4d",
          "Deno (S3 + KV) cache hit, GET /images/{key}",
          images,
          baseline,
          0.9,
          `baseline: deno serve answering ${bytes} constant bytes from memory; the edge answers a hit from memory too (hot-images.ts); the same bytes from Deno's Cache API (one match a request, the tier behind it): ${Math.round(floor)} req/s (${(floor / baseline).toFixed(2)}x)`,
        ),
      );
    } finally {
      await baselineServer.stop();
      await floorServer.stop();
    }
  } finally {
    await edge.stop();
    await s3.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** `deno serve` answering `bytes` constant bytes (bench/baseline-deno/serve.js). */
async function constantDeno(bytes: number, env: Record<string, string>) {
  const port = await freePort();
  return startService(
    "deno",
    [
      "serve",
      "--quiet",
      "--allow-env",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "bench/baseline-deno/serve.js",
    ],
    { BODY_BYTES: String(bytes), ...env },
    port,
    "/",
  );
}
