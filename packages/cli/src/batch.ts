import { type ErrorObject, estimateCost, isGlmImageError } from "@glm-image/core";
import {
  confine,
  type Job,
  type LockEntry,
  lockRecorder,
  mapSettled,
  type PaidWork,
  planJobs,
  prepareTarget,
  readLock,
  unchangedEntry,
} from "@glm-image/node";
import { commandSignal, withNote } from "./deadline.ts";
import { type Options, UsageError } from "./options.ts";
import { EXIT } from "./result.ts";

export interface BatchDeps {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal?: AbortSignal;
}

/** One JSON line per image. */
export interface BatchLine {
  ok: boolean;
  path: string;
  /** `planned`: only in a dry run, the image it would generate. */
  status: "generated" | "skipped" | "failed" | "planned";
  model: string;
  image_url: string | null;
  prompt: string;
  size: string;
  quality: string;
  sha256: string | null;
  saved_file: string;
  error: ErrorObject | null;
  warnings: string[];
}

/**
 * `glm-image batch MANIFEST`: the action's manifest and lock file, in the working folder. What
 * the lock says is unchanged is skipped (nothing paid); the rest is generated with at most
 * `--concurrency` at a time through the journaled paid work (what an interrupted run paid for is
 * resumed, not paid again), each image recorded in the lock as soon as it is on disk. Prints a
 * line per image as it finishes, then a summary line. Each image has its own `--timeout`.
 */
export function batch(options: Options, work: PaidWork, deps: BatchDeps): Promise<number> {
  return readable(batchLines(options, work, deps));
}

/**
 * `glm-image batch MANIFEST --dry-run`: the same plan, nothing asked of the API (no key
 * needed): a line per image, `planned` or `skipped`, then the summary with what the planned
 * images would cost at list prices.
 */
export function batchDryRun(options: Options, deps: BatchDeps): Promise<number> {
  return readable(dryRunLines(options, deps));
}

/** A manifest or a lock file that cannot be read is the user's to fix. */
function readable(lines: Promise<number>): Promise<number> {
  return lines.catch((error: unknown) => {
    if (isGlmImageError(error)) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  });
}

/** The manifest's jobs and the lock file they are checked against. */
async function planOf(options: Options, workspace: string) {
  const jobs = await planJobs(
    {
      manifest: options.manifest,
      model: options.model,
      size: options.size,
      quality: options.quality,
      watermark: options.watermark,
      "user-id": options.userId,
    },
    workspace,
  );
  const lockPath = confine(workspace, options.lockFile, "--lock-file").absolute;
  return { jobs, lockPath, lock: await readLock(lockPath) };
}

/** The fields of a job's line that do not depend on what became of it. */
const describeJob = (job: Job) => ({
  path: job.path,
  model: job.request.model,
  prompt: job.request.prompt,
  size: job.request.size,
  quality: job.request.quality,
  saved_file: job.absolutePath,
  warnings: [] as string[],
});

const skippedLine = (job: Job, previous: LockEntry): BatchLine => ({
  ...describeJob(job),
  ok: true,
  status: "skipped",
  image_url: previous.image_url,
  sha256: previous.sha256,
  error: null,
});

/** Files hashed at once to tell what is unchanged, in a dry run. */
const HASHES_AT_ONCE = 8;

async function dryRunLines(options: Options, deps: BatchDeps): Promise<number> {
  const { jobs, lockPath, lock } = await planOf(options, deps.cwd);
  const settled = await mapSettled(jobs, HASHES_AT_ONCE, async (job): Promise<BatchLine> => {
    const previous = await unchangedEntry(job, lock);
    if (previous) return skippedLine(job, previous);
    return {
      ...describeJob(job),
      ok: true,
      status: "planned",
      image_url: null,
      sha256: null,
      error: null,
    };
  });
  const lines = settled.map((outcome) => {
    // unchangedEntry reads the file; a file that cannot be read is for the user to fix.
    if (outcome.status === "rejected") throw outcome.reason;
    return outcome.value;
  });
  for (const line of lines) deps.stdout.write(`${JSON.stringify(line)}\n`);
  const planned = jobs.filter((_, index) => lines[index]?.status === "planned");
  const cost = estimateCost(planned.map((job) => job.request.model));
  const summary = {
    ok: true,
    dry_run: true,
    summary: { total: jobs.length, planned: planned.length, skipped: jobs.length - planned.length },
    estimated_cost: cost,
    lock_file: lockPath,
  };
  deps.stdout.write(`${JSON.stringify(summary)}\n`);
  if (!options.quiet) {
    deps.stderr.write(
      `glm-image: dry run: ${planned.length} to generate, ${summary.summary.skipped} unchanged; estimated cost ${cost.cny} CNY (US$${cost.usd}). Nothing was generated.\n`,
    );
  }
  return EXIT.ok;
}

async function batchLines(options: Options, work: PaidWork, deps: BatchDeps) {
  const { jobs, lockPath, lock } = await planOf(options, deps.cwd);
  const record = lockRecorder(lockPath, lock);

  const produce = async (job: Job): Promise<BatchLine> => {
    const base = describeJob(job);
    const previous = await unchangedEntry(job, lock);
    if (previous) return skippedLine(job, previous);
    const command = commandSignal(options.timeoutSeconds, deps.signal);
    let imageUrl: string | null = null;
    try {
      // Interrupted while this image waited for its turn: nothing is prepared or asked for.
      if (deps.signal?.aborted) throw deps.signal.reason;
      const { result, saved } = await work.produce(
        { key: job.key, request: job.request, target: () => prepareTarget(job.absolutePath) },
        {
          signal: command.signal,
          onImage: (paid) => {
            imageUrl = paid.url;
          },
          record: (file, paid) => record(job, { sha256: file.sha256, image_url: paid.url }),
        },
      );
      return {
        ...base,
        ok: true,
        status: "generated",
        image_url: result.url,
        sha256: saved?.sha256 ?? null,
        error: null,
        warnings: [...result.warnings, ...(saved?.warning ? [saved.warning] : [])],
      };
    } catch (error) {
      return {
        ...base,
        ok: false,
        status: "failed",
        image_url: imageUrl,
        sha256: null,
        error: withNote(command.classify(error), await work.keptNote(job.key, error)),
      };
    }
  };

  const settled = await mapSettled(jobs, options.concurrency, async (job) => {
    const line = await produce(job);
    deps.stdout.write(`${JSON.stringify(line)}\n`);
    if (!options.quiet) {
      for (const warning of line.warnings) {
        deps.stderr.write(`glm-image: warning: ${line.path}: ${warning}\n`);
      }
    }
    if (line.error) {
      deps.stderr.write(`glm-image: ${line.path}: ${line.error.code}: ${line.error.message}\n`);
    }
    return line;
  });
  const lines = settled.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : [],
  );
  const count = (status: BatchLine["status"]) =>
    lines.filter((line) => line.status === status).length;
  const failed = jobs.length - count("generated") - count("skipped");
  const summary = {
    ok: failed === 0,
    summary: {
      total: jobs.length,
      generated: count("generated"),
      skipped: count("skipped"),
      failed,
    },
    lock_file: lockPath,
  };
  deps.stdout.write(`${JSON.stringify(summary)}\n`);
  if (deps.signal?.aborted) return EXIT.interrupted;
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
