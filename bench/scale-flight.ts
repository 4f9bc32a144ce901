// Scale figures 10 and 10b: single flight and the journal under 1, 10 and 100 concurrent distinct
// prompts, each asked twice at once (POST /v1/images/generations, the same token), on Workers
// (wrangler dev: the Durable Object journal, R2) and on Deno (Deno KV journal, S3 on s3rver), the
// mock taking 1000 ms per generation: the wall time of the whole wave against the upstream's own
// time, and the generations paid per distinct prompt (1: never twice). Called from run.ts
// (`npm run bench -- flight`).
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type Service, startWranglerDev } from "@glm-image/testkit";
import { startDenoOnS3 } from "./deno-edge.ts";
import { type BenchContext, round, serviceCpuMs } from "./measure.ts";

export const FLIGHT_SIZES = [1, 10, 100];
const LATENCY_MS = 1000;
const TOKENS = Array.from({ length: 10 }, (_, index) => `bench-flight-${index}`);

/** POSTs a prompt; answers the status (and reads the body). */
async function generate(origin: string, token: string, prompt: string): Promise<number> {
  const response = await fetch(`${origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    // Small images: the mock draws each PNG in this process, and this figure is not about it.
    body: JSON.stringify({ prompt, model: "cogview-3-flash", size: "512x512" }),
  });
  await response.arrayBuffer();
  return response.status;
}

type Start = () => Promise<{ edge: Service; stop: () => Promise<void>; store?: Service }>;

const portOf = (service: Service) => Number(new URL(service.origin).port);

export async function flightFigures({ mock, work, run, point }: BenchContext): Promise<void> {
  const platforms: Array<[string, Start]> = [
    [
      "Workers (DO journal, R2)",
      async () => {
        const state = await mkdtemp(join(work, "flight-r2-"));
        const edge = await startWranglerDev(await freePort(), state, mock.baseUrl, {
          API_TOKENS: TOKENS.join(","),
          LOG_LEVEL: "warn",
        });
        return { edge, stop: () => edge.stop().then(() => rm(state, { recursive: true })) };
      },
    ],
    [
      "Deno (KV journal, S3)",
      async () => {
        const deno = await startDenoOnS3(mock.baseUrl, work, TOKENS, { LOG_LEVEL: "warn" });
        return { edge: deno.edge, store: deno.s3, stop: deno.stop };
      },
    ],
  ];
  const common = { sizeLabel: "concurrent distinct prompts (2 requests each)" };
  for (const [platform, start] of platforms) {
    const { edge, stop, store } = await start();
    try {
      mock.setLatency(LATENCY_MS);
      for (const size of FLIGHT_SIZES) {
        const prompts = Array.from(
          { length: size },
          (_, index) => `flight bench ${run} ${size} ${index} ${Date.now()}`,
        );
        const before = mock.generations;
        const cpuBefore = {
          edge: await serviceCpuMs(portOf(edge)),
          store: store ? await serviceCpuMs(portOf(store)) : 0,
          bench: process.cpuUsage(),
        };
        const started = performance.now();
        const statuses = await Promise.all(
          prompts.flatMap((prompt, index) => {
            const token = TOKENS[index % TOKENS.length] ?? "";
            return [generate(edge.origin, token, prompt), generate(edge.origin, token, prompt)];
          }),
        );
        const wall = performance.now() - started;
        const paid = mock.generations - before;
        const edgeCpu = (await serviceCpuMs(portOf(edge))) - cpuBefore.edge;
        const storeCpu = store ? (await serviceCpuMs(portOf(store))) - cpuBefore.store : 0;
        const benchCpu = process.cpuUsage(cpuBefore.bench);
        const valid = statuses.every((status) => status === 200);
        if (!valid) console.error(`flight ${platform} ${size}: statuses ${[...new Set(statuses)]}`);
        point({
          ...common,
          id: "flight",
          figure: "10. Single flight and journal: wall time of the wave (upstream 1000 ms)",
          series: platform,
          size,
          unit: "ms",
          value: round(wall),
          valid: valid && paid === size,
          growth:
            "the upstream's time until the CPU is saturated, then the CPU of the wave: see 10c",
        });
        point({
          ...common,
          id: "flight-cpu",
          figure: "10c. CPU per distinct prompt during the wave (the edge's processes)",
          series: platform,
          size,
          unit: "ms",
          value: round(edgeCpu / size),
          note: `edge ${round(edgeCpu)} ms CPU, ${store ? `s3rver ${round(storeCpu)} ms, ` : ""}the bench with the mock ${round((benchCpu.user + benchCpu.system) / 1000)} ms`,
        });
        point({
          ...common,
          id: "flight-paid",
          figure: "10b. Generations paid per distinct prompt (2 concurrent requests each)",
          series: platform,
          size,
          unit: "generations",
          value: round(paid / size, 3),
          valid,
        });
      }
    } finally {
      mock.setLatency(0);
      await stop();
    }
  }
  for (const size of FLIGHT_SIZES) {
    point({
      ...common,
      id: "flight",
      figure: "10. Single flight and journal: wall time of the wave (upstream 1000 ms)",
      series: "the upstream's own time",
      reference: true,
      size,
      unit: "ms",
      value: LATENCY_MS,
    });
  }
}
