import type { MockServer } from "@glm-image/mock";
import { type ProcessRun, runProcess } from "@glm-image/testkit";

/** One line of the results table: a figure next to the baseline measured in the same run. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target: string;
  met: boolean;
  note?: string;
}

/** What every face's figures get from run.ts. */
export interface BenchContext {
  mock: MockServer;
  /** A scratch folder, removed after the run. */
  work: string;
  /** bench/rss-probe.mjs: `--import` it to read a process's peak RSS and age at exit. */
  probe: string;
  record: (figure: Figure) => void;
}

/** A number rounded for the table. */
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    Number.NaN
  );
}

export const median = (values: number[]) => percentile(values, 50);

export interface ChildRun extends ProcessRun {
  /** From bench/rss-probe.mjs, when it is loaded. */
  maxRssKiB?: number;
  uptimeMs?: number;
}

/** Runs a command to its end with this process's environment plus `env`. */
export async function runChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ChildRun> {
  const run = await runProcess(command, args, { env: { ...process.env, ...env } });
  const probe = /@bench maxrss=(\d+) uptime=([\d.]+)/.exec(run.stderr);
  return probe ? { ...run, maxRssKiB: Number(probe[1]), uptimeMs: Number(probe[2]) } : run;
}

/** Sends `total` requests, `concurrency` at a time; answers each one's latency in ms. */
export async function latencies(
  total: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<number[]> {
  const results: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const started = performance.now();
        await send(index);
        results.push(performance.now() - started);
      }
    }),
  );
  return results;
}

/** Requests per second over `durationMs` with `concurrency` callers. */
export async function throughput(
  durationMs: number,
  concurrency: number,
  send: () => Promise<void>,
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await send();
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** GETs of `url` per second, bodies read whole: 3 s with 10 callers. */
export const getsPerSecond = (url: string): Promise<number> =>
  throughput(3000, 10, async () => {
    await (await fetch(url)).arrayBuffer();
  });

/** A req/s figure next to its baseline, met at 0.8x of it or more. */
export function throughputFigure(
  figure: string,
  value: number,
  baseline: number,
  note?: string,
): Figure {
  return {
    figure,
    value: Math.round(value),
    unit: "req/s",
    baseline: Math.round(baseline),
    ratio: Number((value / baseline).toFixed(2)),
    target: "≥ 0.8x baseline",
    met: value / baseline >= 0.8,
    ...(note === undefined ? {} : { note }),
  };
}
