import { readdir, readFile } from "node:fs/promises";
import type { MockServer } from "@glm-image/mock";
import { type ProcessRun, runProcess } from "@glm-image/testkit";

export type Op = "<" | "≤" | "≥" | "=";

/**
 * What a figure must reach, checked on the median of its runs: its value or its ratio to the
 * baseline against a limit, or its value against another figure's (e.g. 3d against 3).
 */
export type Target =
  | { of: "value" | "ratio"; op: Op; limit: number }
  | { of: "figure"; op: Op; figure: string }
  | { of: "report" };

/** One run's measurement of a figure: a line of the results table, next to its baseline. */
export interface Figure {
  /** "1b", "3d": what the table, results.json and other figures' targets call it. */
  id: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target: Target;
  /** What must also hold in every run (every answer 200, one generation): false fails the figure. */
  valid?: boolean;
  note?: string;
}

/** One run's measurement of a scale figure at one size, for one series. */
export interface ScalePoint {
  /** "S1" ... : one chart each. */
  id: string;
  figure: string;
  /** The curve this point is on, e.g. "Workers, first page". */
  series: string;
  /** The size of the work: stored images, manifest items, concurrent prompts. */
  size: number;
  /** What `size` counts, for the chart's x axis: "stored images". */
  sizeLabel: string;
  value: number;
  unit: string;
  /** A reference curve (e.g. the upstream's own time): charted dashed, never a defect. */
  reference?: boolean;
  /** Said instead of the computed growth, where the curve has another shape by nature. */
  growth?: string;
  valid?: boolean;
  note?: string;
}

/** What every face's figures get from run.ts. */
export interface BenchContext {
  mock: MockServer;
  /** A scratch folder, removed after the whole bench (kept across runs: seeded stores live here). */
  work: string;
  /** bench/rss-probe.mjs: `--import` it to read a process's peak RSS, age and CPU at exit. */
  probe: string;
  /** Which run this is (0-based), of `runs`. */
  run: number;
  runs: number;
  record: (figure: Figure) => void;
  point: (point: ScalePoint) => void;
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

/** The middle value; of an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Whether `value` meets `op limit`. */
export function meets(value: number, op: Op, limit: number): boolean {
  if (op === "<") return value < limit;
  if (op === "≤") return value <= limit;
  if (op === "≥") return value >= limit;
  return value === limit;
}

export interface ChildRun extends ProcessRun {
  /** From bench/rss-probe.mjs, when it is loaded. */
  maxRssKiB?: number;
  uptimeMs?: number;
  /** The process's own user + system CPU time, from the probe. */
  cpuMs?: number;
}

/** Runs a command to its end with this process's environment plus `env`. */
export async function runChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<ChildRun> {
  const run = await runProcess(command, args, {
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
  });
  const probe = /@bench maxrss=(\d+) uptime=([\d.]+) cpu=([\d.]+)/.exec(run.stderr);
  return probe
    ? {
        ...run,
        maxRssKiB: Number(probe[1]),
        uptimeMs: Number(probe[2]),
        cpuMs: Number(probe[3]),
      }
    : run;
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

/** A req/s figure next to its baseline, met at `limit` times the baseline or more. */
export function throughputFigure(
  id: string,
  figure: string,
  value: number,
  baseline: number,
  limit: number,
  note?: string,
): Figure {
  return {
    id,
    figure,
    value: Math.round(value),
    unit: "req/s",
    baseline: Math.round(baseline),
    target: { of: "ratio", op: "≥", limit },
    ...(note === undefined ? {} : { note }),
  };
}

const TICKS_PER_SECOND = 100;

/** The processes of the service listening on `port` (its process group, found through /proc). */
async function serviceGroup(port: number): Promise<number | undefined> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, "utf8")
      .then((text) => text.split("\0"))
      .catch(() => [] as string[]);
    // `--port N` (wrangler, deno serve), or testkit's s3-server.ts PORT.
    const at = args.indexOf(String(port));
    if (at > 0 && (args[at - 1] === "--port" || args[at - 1]?.endsWith("s3-server.ts"))) {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    }
  }
  return undefined;
}

/**
 * CPU time (user + system, ms) used so far by every process of the service on `port` (a server
 * started by testkit's startService runs in its own process group: wrangler and its workerd, or
 * deno). Linux; NaN elsewhere.
 */
export async function serviceCpuMs(port: number): Promise<number> {
  const group = await serviceGroup(port).catch(() => undefined);
  if (group === undefined) return Number.NaN;
  let ticks = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / TICKS_PER_SECOND) * 1000;
}
