import { rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname } from "node:path";
import {
  sleep as defaultSleep,
  type Fetch,
  type GenerationRequest,
  type GenerationResult,
  GlmImageError,
  isGlmImageError,
  resultFromTask,
  type Sleep,
} from "@glm-image/core";
import { type Downloaded, downloadInto } from "./download-into.ts";
import type { ImageSource, SourceCall } from "./image-source.ts";
import { type Journal, type JournalEntry, newAttempt } from "./journal.ts";
import { mayHaveCharged } from "./may-have-charged.ts";
import { ReasonedError, reasonOf } from "./reason-error.ts";
import type { ImageTarget } from "./save-image.ts";

/** Waits between polls of an async task: the first at once, then growing (as the edge's). */
const POLL_WAITS_MS = [0, 250, 500, 1_000, 2_000, 3_000];
/** How long one run waits for a task by default; the task stays journaled for the next run. */
export const TASK_WAIT_MS = 10 * 60_000;

/** One image to make: its content key (core's contentKey), its request, where it goes. */
export interface PaidJob {
  key: string;
  request: GenerationRequest;
  /**
   * Where the image is written; none when only its URL is wanted. A function prepares it when
   * the job's turn comes (inside the gate, still before anything is paid), so that jobs waiting
   * for a slot leave no temporary file behind if the process is killed.
   */
  target?: ImageTarget | (() => Promise<ImageTarget>) | undefined;
  /** The final file name from the image's real type (for --out-dir). */
  nameFor?: ((extension: string) => string) | undefined;
}

/** Where a job stands, for a person watching. */
export type Stage = "generating" | "submitted" | "resuming-task" | "resuming-image" | "downloading";

export interface ProduceCall extends SourceCall {
  /** The paid image is known (its URL), before it is downloaded. */
  onImage?: ((result: GenerationResult) => void) | undefined;
  /** Runs once the file is whole, before its journal entry goes: the lock file's record. */
  record?: ((saved: Downloaded, result: GenerationResult) => Promise<void>) | undefined;
  onStage?: ((stage: Stage, detail?: string) => void) | undefined;
}

export interface Produced {
  result: GenerationResult;
  /** The file written, when the job had a target. */
  saved: Downloaded | undefined;
  /** What the journal already held: a task to poll, a paid image to download, or nothing. */
  resumed: "task" | "image" | undefined;
}

export interface PaidWorkOptions {
  source: ImageSource;
  /** The journal of paid work; only a direct source uses it (an edge keeps its own). */
  journal?: Journal | undefined;
  /** Wraps each job's paid work (the action's concurrency limit and its retries). */
  gate?: <T>(work: () => Promise<T>) => Promise<T>;
  /** How a person clears an entry, in the face's words: `run glm-image journal clear KEY`. */
  clearHint: (key: string, file: string) => string;
  /** How long to poll a task before leaving it for the next run (default 10 minutes). */
  taskWaitMs?: number;
  /** For the downloads (default `httpFetch`, over node:http). */
  fetch?: Fetch | undefined;
  sleep?: Sleep;
  now?: () => number;
}

interface Obtained {
  result: GenerationResult;
  resumed: Produced["resumed"];
  /** The `paid` entry of the image, while the journal keeps it. */
  entry: JournalEntry | undefined;
}

/** One job's paid work in this process, shared by every job of the same content key. */
interface Flight {
  obtained: Promise<Obtained>;
  holders: number;
  failed: boolean;
  /** The entry went when the holders so far were done: a later holder writes it back first. */
  removed: boolean;
  removing: Promise<void>;
  restoring: Promise<unknown>;
}

/**
 * The journaled generate-and-save pipeline of the CLI and the action, the one path to paid
 * work. Per content key: `pending` is written before the upstream call, the task id as soon as
 * the async API accepts it, the image URL as soon as it is delivered, and the entry goes once
 * the file is whole (after `record`). A later run resumes what the journal holds: it polls the
 * task, or downloads the URL (it lives 30 days); it pays only when there is no entry. A
 * `pending` entry left by a call that may have charged is never paid for again blindly: it is
 * reported, with how to clear it. Jobs of one key in one process share one payment.
 */
export function paidWork(options: PaidWorkOptions) {
  const { source } = options;
  const journal = source.kind === "direct" ? options.journal : undefined;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const taskWaitMs = options.taskWaitMs ?? TASK_WAIT_MS;
  const gate = options.gate ?? (<T>(work: () => Promise<T>) => work());
  const flights = new Map<string, Flight>();

  const hint = (key: string) => (journal ? options.clearHint(key, journal.fileOf(key)) : "");

  /** Writes an entry, or says what was paid for when the journal cannot take it. */
  const record = async (entry: JournalEntry, paidFor: string) => {
    if (!journal) return;
    try {
      await journal.update(entry);
    } catch (error) {
      throw new GlmImageError(
        "upstream_error",
        `${paidFor}, but the journal could not record it: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };

  const paidEntry = (from: JournalEntry, result: GenerationResult): JournalEntry => ({
    ...withoutState(from),
    state: "paid",
    updated: now(),
    url: result.url,
    created: result.created,
    content_filter: result.contentFilter,
  });

  async function awaitTask(job: PaidJob, taskId: string, call: ProduceCall, entry?: JournalEntry) {
    const deadline = now() + taskWaitMs;
    for (let poll = 0; ; poll++) {
      if (now() >= deadline) {
        throw new GlmImageError(
          "TIMEOUT",
          `The image task ${taskId} is still running after ${Math.round(taskWaitMs / 1000)} s`,
          { retryable: false },
        );
      }
      await sleep(POLL_WAITS_MS[Math.min(poll, POLL_WAITS_MS.length - 1)] ?? 0, call.signal);
      const task = await source.poll(taskId, call);
      let result: GenerationResult | undefined;
      try {
        result = resultFromTask(job.request, task);
      } catch (error) {
        // The task failed or withheld its image: nothing is owed, nothing to resume.
        if (entry) await journal?.remove(job.key, entry.attempt);
        throw error;
      }
      if (!result) continue;
      if (!entry) return { result, entry: undefined };
      const paid = paidEntry(entry, result);
      await record(paid, `The image of task ${taskId} was paid for (${result.url})`);
      return { result, entry: paid };
    }
  }

  /** The upstream call, with `pending` written before it (the claim) and its answer after. */
  async function pay(job: PaidJob, pending: JournalEntry, call: ProduceCall): Promise<Obtained> {
    call.onStage?.("generating");
    let started: Awaited<ReturnType<ImageSource["start"]>>;
    try {
      started = await source.start(job.request, call);
    } catch (error) {
      if (!mayHaveCharged(error)) {
        // The upstream refused, or was never reached: nothing was paid, nothing to keep.
        await journal?.remove(job.key, pending.attempt);
        throw error;
      }
      await journal
        ?.update({ ...pending, updated: now(), last_error: describe(error) })
        .catch(() => {});
      throw finalError(error);
    }
    if ("taskId" in started) {
      const submitted: JournalEntry = {
        ...withoutState(pending),
        state: "submitted",
        updated: now(),
        task_id: started.taskId,
      };
      await record(submitted, `The image task ${started.taskId} was accepted (and paid for)`);
      call.onStage?.("submitted", started.taskId);
      const { result, entry } = await awaitTask(job, started.taskId, call, submitted);
      return { result, resumed: undefined, entry };
    }
    const paid = paidEntry(pending, started.result);
    await record(paid, `The image was paid for (${started.result.url})`);
    return { result: started.result, resumed: undefined, entry: paid };
  }

  /**
   * An entry this process now carries on: the temporary file a stopped process left is removed,
   * and the entry names this process and its target from now on.
   */
  async function takeOver(job: PaidJob, entry: JournalEntry): Promise<JournalEntry> {
    if (entry.pid === process.pid && entry.host === hostname()) return entry;
    await removeStalePart(entry);
    const { target: _target, part: _part, ...kept } = entry;
    const carried: JournalEntry = {
      ...kept,
      pid: process.pid,
      host: hostname(),
      updated: now(),
      ...placeOf(job),
    };
    await journal?.update(carried);
    return carried;
  }

  /** What the journal holds for a key, resumed; a `pending` entry is refused, never re-paid. */
  async function resume(job: PaidJob, entry: JournalEntry, call: ProduceCall): Promise<Obtained> {
    if (entry.state === "pending") {
      await removeStalePart(entry);
      throw pendingError(entry, journal?.fileOf(job.key) ?? "", hint);
    }
    const resumed = await takeOver(job, entry);
    if (resumed.state === "submitted") {
      call.onStage?.("resuming-task", resumed.task_id);
      const { result, entry: paid } = await awaitTask(job, resumed.task_id, call, resumed);
      return { result, resumed: "task", entry: paid };
    }
    if (resumed.state !== "paid") throw pendingError(resumed, journal?.fileOf(job.key) ?? "", hint);
    call.onStage?.("resuming-image", resumed.url);
    const result = resultFromTask(job.request, {
      task_status: "SUCCESS",
      created: resumed.created,
      image_result: [{ url: resumed.url }],
      content_filter: resumed.content_filter,
    });
    if (!result) throw new Error("unreachable: a SUCCESS task always has a result");
    return { result, resumed: "image", entry: resumed };
  }

  async function obtain(job: PaidJob, call: ProduceCall): Promise<Obtained> {
    if (!journal) {
      call.onStage?.("generating");
      const started = await source.start(job.request, call);
      if ("result" in started)
        return { result: started.result, resumed: undefined, entry: undefined };
      const { result } = await awaitTask(job, started.taskId, call);
      return { result, resumed: undefined, entry: undefined };
    }
    // A claim lost to another process that then finished: look again (a few times at most).
    for (let look = 0; look < 3; look++) {
      const entry = await journal.read(job.key);
      if (entry) return resume(job, entry, call);
      const pending: JournalEntry = {
        state: "pending",
        key: job.key,
        attempt: newAttempt(),
        since: now(),
        updated: now(),
        pid: process.pid,
        host: hostname(),
        request: {
          prompt: job.request.prompt,
          model: job.request.model,
          size: job.request.size,
          quality: job.request.quality,
          watermark_enabled: job.request.watermark_enabled,
        },
        ...placeOf(job),
      };
      if (await journal.claim(pending)) return pay(job, pending, call);
    }
    throw new GlmImageError(
      "upstream_error",
      `The journal entry ${journal.fileOf(job.key)} keeps changing under this process`,
    );
  }

  return {
    /**
     * Makes one image: from the journal when it holds the job's key, otherwise paid for now;
     * then downloads it into the target and records it (`call.record`) before its entry goes.
     * On failure the target's temporary file is removed.
     */
    async produce(job: PaidJob, call: ProduceCall = {}): Promise<Produced> {
      let target: ImageTarget | undefined;
      const prepared = async () => {
        if (target === undefined && job.target !== undefined) {
          target = typeof job.target === "function" ? await job.target() : job.target;
        }
        return { ...job, target };
      };
      let flight = flights.get(job.key);
      if (!flight) {
        flight = {
          obtained: gate(async () => obtain(await prepared(), call)),
          holders: 0,
          failed: false,
          removed: false,
          removing: Promise.resolve(),
          restoring: Promise.resolve(),
        };
        flights.set(job.key, flight);
      }
      const current = flight;
      current.holders++;
      let obtained: Obtained | undefined;
      try {
        obtained = await current.obtained;
        await prepared();
        const entry = obtained.entry;
        if (current.removed && entry) {
          // An earlier job of this key is done and its entry gone: keep this one's paid work too.
          current.removed = false;
          current.restoring = current.removing.then(() => journal?.claim(entry));
        }
        await current.restoring;
        call.onImage?.(obtained.result);
        let saved: Downloaded | undefined;
        if (target) {
          call.onStage?.("downloading");
          saved = await downloadInto(obtained.result.url, target, {
            signal: call.signal,
            fetch: options.fetch,
            nameFor: job.nameFor,
          });
          await call.record?.(saved, obtained.result);
        }
        return { result: obtained.result, saved, resumed: obtained.resumed };
      } catch (error) {
        current.failed = true;
        await (target ?? (typeof job.target === "object" ? job.target : undefined))?.discard();
        throw error;
      } finally {
        current.holders--;
        if (current.holders === 0) {
          if (current.failed) {
            // A later job of this key starts again from what the journal says.
            flights.delete(job.key);
          } else if (obtained?.entry && journal) {
            current.removed = true;
            current.removing = journal.remove(job.key, obtained.entry.attempt).catch(() => {});
            await current.removing;
          }
        }
      }
    },

    /**
     * After a failure: what the journal keeps of the job's paid work and how to resume or
     * clear it, to add to the error's message; undefined when it keeps nothing.
     */
    async keptNote(key: string, error: unknown): Promise<string | undefined> {
      if (!journal || reasonOf(error) !== undefined) return undefined;
      const entry = await journal.read(key).catch(() => undefined);
      if (!entry) return undefined;
      const what =
        entry.state === "paid"
          ? "the paid image's URL"
          : entry.state === "submitted"
            ? `the paid task ${entry.task_id}`
            : "a call that may have been charged";
      const next =
        entry.state === "pending"
          ? "check your ZhiPu usage before generating it again"
          : "run the same command again to resume it (nothing more is paid)";
      return `The journal keeps ${what} in ${journal.fileOf(key)}: ${next}; to give it up, ${hint(key)}.`;
    },
  };
}

export type PaidWork = ReturnType<typeof paidWork>;

/** Where a job writes, as an entry records it. */
const placeOf = (job: PaidJob) =>
  job.target && typeof job.target !== "function"
    ? {
        target: job.target.path,
        ...(job.target.temporary === undefined ? {} : { part: job.target.temporary }),
      }
    : {};

/**
 * Removes the temporary file an entry's process was writing when it stopped (killed, timed
 * out), so that no `.part` file outlives it: only when that process is gone, and only a file
 * named as prepareTarget names them, beside the entry's target.
 */
export async function removeStalePart(entry: JournalEntry): Promise<void> {
  if (!entry.part || !entry.target) return;
  if (entry.host !== hostname() || alive(entry.pid)) return;
  const name = basename(entry.part);
  const expected = new RegExp(`^\\.${escapeRegExp(basename(entry.target))}\\.[0-9a-f]{12}\\.part$`);
  if (dirname(entry.part) !== dirname(entry.target) || !expected.test(name)) return;
  await rm(entry.part, { force: true }).catch(() => {});
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function withoutState(entry: JournalEntry) {
  const { key, attempt, since, pid, host, request, target, part, last_error } = entry;
  return {
    key,
    attempt,
    since,
    pid,
    host,
    request,
    ...(target === undefined ? {} : { target }),
    ...(part === undefined ? {} : { part }),
    ...(last_error === undefined ? {} : { last_error }),
  };
}

const describe = (error: unknown) =>
  isGlmImageError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

/** The same error, not to be retried: the call may have been paid for. */
function finalError(error: unknown): unknown {
  if (!isGlmImageError(error) || !error.retryable) return error;
  return new GlmImageError(error.code, error.message, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.upstreamCode === undefined ? {} : { upstreamCode: error.upstreamCode }),
    ...(error.upstreamMessage === undefined ? {} : { upstreamMessage: error.upstreamMessage }),
    retryable: false,
    cause: error,
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** A `pending` entry met by a later run: work in progress elsewhere, or an unknown outcome. */
function pendingError(entry: JournalEntry, file: string, hint: (key: string) => string) {
  const since = new Date(entry.since).toISOString();
  if (entry.host === hostname() && entry.pid !== process.pid && alive(entry.pid)) {
    return new ReasonedError(
      "upstream_error",
      "IN_PROGRESS",
      `Another process (pid ${entry.pid}) has been generating this image since ${since} (journal entry ${file}): wait for it to finish, then run this again. If no such process is running, ${hint(entry.key)}.`,
      { journalEntry: file },
    );
  }
  return new ReasonedError(
    "upstream_error",
    "PENDING_IN_JOURNAL",
    `An earlier call for this image (${since}${entry.last_error ? `, ${entry.last_error}` : ", then the process stopped"}) may have been charged, and no image came of it; it was not sent again. The journal entry is ${file}. Check your ZhiPu usage; to generate it again, ${hint(entry.key)}.`,
    { journalEntry: file },
  );
}
