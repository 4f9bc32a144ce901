import { type ProcessRun, runProcess } from "../packages/cli/test/run-cli.ts";

/** One line of the results table. */
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
