import { spawn } from "node:child_process";

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    Number.NaN
  );
}

export const median = (values: number[]) => percentile(values, 50);

export interface ChildRun {
  wallMs: number;
  status: number | null;
  stdout: string;
  stderr: string;
  /** From the rss probe, when loaded. */
  maxRssKiB?: number;
  uptimeMs?: number;
}

/** Runs a command to its end; wall time measured around it. */
export function runChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => {
      const wallMs = performance.now() - started;
      const probe = /@bench maxrss=(\d+) uptime=([\d.]+)/.exec(stderr);
      resolve({
        wallMs,
        status,
        stdout,
        stderr,
        ...(probe ? { maxRssKiB: Number(probe[1]), uptimeMs: Number(probe[2]) } : {}),
      });
    });
  });
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
