// Scale figures 11 and 11b: the edge's memory per generation in flight, on Deno (S3 on s3rver,
// Deno KV), as `deno serve` runs it: 1, 10 and 100 distinct prompts at once, the mock taking
// 3000 ms each and answering 1 MiB images (downloaded and stored as they come), and the same
// with small ones (512x512, a few KiB: what a generation holds besides its image). The figure is
// the peak RSS of the deno process during the wave (VmHWM, reset before it through clear_refs)
// minus its RSS at rest after one warm-up generation; a fresh process for each size, so that no
// wave inherits the heap of another. Linux only. Called from run.ts (`npm run bench -- memory`).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { startDenoOnS3 } from "./deno-edge.ts";
import { type BenchContext, round } from "./measure.ts";

export const MEMORY_SIZES = [1, 10, 100];
const LATENCY_MS = 3000;
/** The two image sizes: 1 MiB (a mock marker), and small ones. */
const IMAGES: Array<{ series: string; marker: string; body: Record<string, string> }> = [
  { series: "1 MiB images", marker: "[mock:large=1] ", body: {} },
  {
    series: "small images (512x512)",
    marker: "",
    body: { model: "cogview-3-flash", size: "512x512" },
  },
];
const TOKENS = Array.from({ length: 10 }, (_, index) => `bench-memory-${index}`);

/** The pid of the `deno serve` listening on `port`, found through /proc. */
async function denoPid(port: string): Promise<number> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, "utf8")
      .then((text) => text.split("\0"))
      .catch(() => [] as string[]);
    if (args.includes("packages/edge/src/deno.ts") && args[args.indexOf("--port") + 1] === port) {
      return Number(entry);
    }
  }
  throw new Error(`no deno serve on port ${port}`);
}

async function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? Number.NaN);
}

async function generate(
  origin: string,
  token: string,
  prompt: string,
  body: Record<string, string>,
): Promise<number> {
  const response = await fetch(`${origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ prompt, ...body }),
  });
  await response.arrayBuffer();
  return response.status;
}

export async function memoryFigures({ mock, work, run, point }: BenchContext): Promise<void> {
  const common = { sizeLabel: "generations in flight" };
  for (const image of IMAGES) {
    for (const size of MEMORY_SIZES) {
      const { edge, stop } = await startDenoOnS3(mock.baseUrl, work, TOKENS, {
        LOG_LEVEL: "warn",
      });
      try {
        const pid = await denoPid(new URL(edge.origin).port);
        const { marker, body } = image;
        await generate(
          edge.origin,
          TOKENS[0] ?? "",
          `${marker}memory warm-up ${run} ${Date.now()}`,
          body,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const rest = await statusKiB(pid, "VmRSS");
        // Resets VmHWM to the RSS now (Linux >= 4.0).
        await writeFile(`/proc/${pid}/clear_refs`, "5");
        mock.setLatency(LATENCY_MS);
        const statuses = await Promise.all(
          Array.from({ length: size }, (_, index) =>
            generate(
              edge.origin,
              TOKENS[index % TOKENS.length] ?? "",
              `${marker}memory bench ${run} ${size} ${index} ${Date.now()}`,
              body,
            ),
          ),
        );
        mock.setLatency(0);
        const peak = await statusKiB(pid, "VmHWM");
        const valid = statuses.every((status) => status === 200);
        if (!valid) console.error(`memory ${size}: statuses ${[...new Set(statuses)]}`);
        const grownMiB = (peak - rest) / 1024;
        point({
          ...common,
          id: "memory",
          figure: "11. Deno edge (S3 + KV): peak RSS over its RSS at rest",
          series: image.series,
          size,
          unit: "MiB",
          value: round(grownMiB),
          valid,
          note: `RSS at rest ${round(rest / 1024)} MiB; upstream ${LATENCY_MS} ms`,
        });
        point({
          ...common,
          id: "memory-per-flight",
          figure: "11b. Deno edge (S3 + KV): memory per generation in flight",
          series: image.series,
          size,
          unit: "MiB per generation",
          value: round(grownMiB / size, 2),
          valid,
        });
      } finally {
        mock.setLatency(0);
        await stop();
      }
    }
  }
}
