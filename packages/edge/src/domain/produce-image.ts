import {
  type ClientOptions,
  sleep as defaultSleep,
  downloadImage,
  fetchImageTask,
  type GenerationRequest,
  type GenerationResult,
  GlmImageError,
  generateImage,
  isGlmImageError,
  resultFromTask,
  type Sleep,
  submitImageTask,
  withDetails,
} from "@glm-image/core";
import { budgetExceeded, utcDay } from "./budget.ts";
import type { EdgeConfig } from "./config.ts";
import type {
  BudgetLimits,
  Charge,
  GenerationJob,
  GenerationOutcome,
  ImageStore,
  Journal,
  JournalEntry,
  OutcomeError,
  RateLimiter,
  SpendBudget,
} from "./ports.ts";
import { isStorageFault } from "./storage-fault.ts";
import { dailyLimitOf } from "./tenants.ts";

/** The models whose async API the upstream documents: their task id is journaled at once. */
const ASYNC_MODELS: ReadonlySet<string> = new Set(["glm-image"]);
/** Waits between polls of an async task: the first at once, then growing. */
const POLL_WAITS_MS = [0, 250, 500, 1_000, 2_000, 3_000];
/** Backoff between download attempts across requests: 1 s, 2 s, 4 s, ... up to 5 min. */
const retryDelayMs = (attempts: number) => Math.min(1_000 * 2 ** (attempts - 1), 300_000);

type Paid = Extract<JournalEntry, { state: "paid" }>;
type GivenUp = Extract<JournalEntry, { state: "given_up" }>;
type Pending = Extract<JournalEntry, { state: "pending" }>;

export interface GenerationDeps {
  store: ImageStore;
  journal: Journal;
  /** The daily budgets (the service's and the tenants'), and the tenants' paid generations. */
  budget?: SpendBudget | undefined;
  /**
   * New paid work per client of a public route (a job's `client`): a /render miss that joins work
   * under way, resumes from the journal or finds the image stored costs nothing and is not counted.
   */
  clientLimiter?: RateLimiter | undefined;
  config: EdgeConfig;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: Sleep;
  log?: ((entry: Record<string, unknown>) => void) | undefined;
}

/**
 * The one place an image is made, run by the single holder of its content key. It resumes from
 * the journal: a stored image is answered; a paid one is downloaded again from its recorded URL;
 * a submitted task is polled again; only a key with no journal entry reaches the upstream, after
 * the entry saying so is written. Every upstream answer is journaled before anything else, so a
 * crash, a failed download or a failed store never leads to paying twice. A task given up stays
 * given up. Every failure is an outcome (plain data that crosses a Durable Object's RPC): storage
 * that cannot be reached is `storage_unavailable`, before anything is paid.
 */
export async function produceImage(
  job: GenerationJob,
  deps: GenerationDeps,
): Promise<GenerationOutcome> {
  const now = deps.now ?? Date.now;
  try {
    const [existing, entry] = await Promise.all([
      deps.store.metadata(job.key),
      deps.journal.get(job.key),
    ]);
    if (existing) {
      if (entry) await deps.journal.delete(job.key);
      return { ok: true, stored: true, metadata: existing };
    }
    if (entry?.state === "given_up") throw givenUp(entry, deps);
    if (entry?.state === "pending") {
      // A call that was made and never answered readably (its holder died, or its answer was
      // lost): it may have been charged, and there is nothing to resume. Never sent again blindly.
      deps.log?.({ level: "warn", message: "unsettled paid call not sent again", key: job.key });
      throw unsettled(job.key, entry);
    }
    if (entry?.state === "paid" && entry.retry_at > now()) return unstored(job, entry, now());
    // No entry: this job pays now (a resumed entry was paid for by an earlier request).
    const paysNow = entry === null;
    const paid = entry?.state === "paid" ? entry : await pay(job, entry, deps);
    const outcome = await store(job, paid, deps);
    return paysNow && outcome.ok && outcome.stored ? { ...outcome, paid: true } : outcome;
  } catch (error) {
    if (isStorageFault(error)) {
      deps.log?.({
        level: "error",
        message: "storage unavailable",
        key: job.key,
        error: describe(error.cause),
      });
    }
    return { ok: false, error: outcomeErrorOf(error) };
  }
}

/** Gets a paid image URL: resumes a submitted task, or starts new paid work within the budget. */
async function pay(
  job: GenerationJob,
  entry: Extract<JournalEntry, { state: "submitted" }> | null,
  deps: GenerationDeps,
): Promise<Paid> {
  const now = deps.now ?? Date.now;
  const client = clientOptions(deps);
  const day = utcDay(now());
  const charge: Charge = { tenant: job.tenant, model: job.request.model };
  const limits: BudgetLimits = {
    service: deps.config.MAX_GENERATIONS_PER_DAY,
    tenant: dailyLimitOf(deps.config.tenants, deps.config.TENANT_GENERATIONS_PER_DAY, job.tenant),
  };
  // Who pays: the tenant of the job that started the work, even when another's request resumes it.
  const payer = entry?.tenant ?? job.tenant;
  let taskId = entry?.task_id;
  let result: GenerationResult | undefined;
  if (taskId === undefined) {
    if (job.client !== undefined && deps.clientLimiter) {
      if (!(await deps.clientLimiter.limit(job.client))) {
        throw new GlmImageError(
          "rate_limit_exceeded",
          "Too many new images asked for from this address; stored images are still served",
          { retryAfterMs: 60_000 },
        );
      }
    }
    const taken = deps.budget ? await deps.budget.take(day, charge, limits) : "taken";
    if (taken !== "taken") {
      throw budgetExceeded(now(), taken === "tenant" ? job.tenant : undefined, limits[taken] ?? 0);
    }
    const pending = await journalPending(job, deps, { day, charge, limits, payer });
    const asynchronous = ASYNC_MODELS.has(job.request.model);
    try {
      if (asynchronous) {
        taskId = (await submitImageTask(job.request, client)).id;
        await deps.journal.set(job.key, {
          state: "submitted",
          since: now(),
          task_id: taskId,
          tenant: payer,
        });
      } else {
        result = await generateImage(job.request, client);
      }
    } catch (error) {
      if (!(isGlmImageError(error) && error.mayHaveCharged)) {
        // The upstream refused, or the request never left: nothing was delivered, nothing is owed.
        await deps.journal.delete(job.key);
        await deps.budget?.refund(day, charge, limits);
        throw error;
      }
      // The upstream may have accepted it: the entry and the budget stay. A task id that could
      // be read is polled; anything else waits for a person (see `unsettled`).
      if (!asynchronous || error.taskId === undefined) {
        await deps.journal.set(job.key, {
          ...pending,
          failure: error.code,
          ...(error.requestId === undefined ? {} : { request_id: error.requestId }),
        });
        throw withDetails(error, { message: `${error.message}. ${howToClear(job.key)}` });
      }
      taskId = error.taskId;
      await deps.journal.set(job.key, {
        state: "submitted",
        since: now(),
        task_id: taskId,
        tenant: payer,
      });
    }
  }
  if (taskId !== undefined) result = await awaitTask(job, taskId, entry?.since ?? now(), deps);
  if (!result) throw new GlmImageError("upstream_error", "The image service answered no image");
  const paid: Paid = {
    state: "paid",
    since: now(),
    tenant: payer,
    url: result.url,
    created: result.created,
    content_filter: result.contentFilter,
    attempts: 0,
    retry_at: 0,
  };
  await deps.journal.set(job.key, paid);
  // One line per paid generation (a log line is not free: wrangler dev forwards each one).
  deps.log?.({
    level: "info",
    message: "generated",
    key: job.key,
    model: job.request.model,
    tenant: payer,
  });
  return paid;
}

/**
 * Writes `pending` before the upstream call. When the journal cannot take it, nothing is sent and
 * the budget just taken is given back: storage down before the upstream call pays nothing.
 */
async function journalPending(
  job: GenerationJob,
  deps: GenerationDeps,
  paying: { day: string; charge: Charge; limits: BudgetLimits; payer: string },
): Promise<Pending> {
  const now = deps.now ?? Date.now;
  const pending: Pending = { state: "pending", since: now(), tenant: paying.payer };
  try {
    await deps.journal.set(job.key, pending);
    return pending;
  } catch (error) {
    await deps.budget?.refund(paying.day, paying.charge, paying.limits).catch(() => {});
    throw error;
  }
}

/**
 * Polls a task (at least once) until it succeeds or fails, however long the requests waiting for
 * it wait (they answer TIMEOUT meanwhile, and the work goes on). A task that failed is over (its
 * entry goes); one that a poll could not reach stays journaled and is resumed by the next request;
 * one still running TASK_GIVE_UP_SECONDS after its submission is given up.
 */
async function awaitTask(
  job: GenerationJob,
  taskId: string,
  submittedAt: number,
  deps: GenerationDeps,
): Promise<GenerationResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const deadline = submittedAt + deps.config.TASK_GIVE_UP_SECONDS * 1000;
  const client = clientOptions(deps);
  for (let poll = 0; ; poll++) {
    await sleep(POLL_WAITS_MS[Math.min(poll, POLL_WAITS_MS.length - 1)] ?? 0);
    const task = await fetchImageTask(taskId, client);
    let result: GenerationResult | undefined;
    try {
      result = resultFromTask(job.request, task);
    } catch (error) {
      // A task that failed is over; one that succeeded without an image stays, polled again.
      if (!(isGlmImageError(error) && error.mayHaveCharged)) {
        await deps.journal.delete(job.key);
      }
      throw error;
    }
    if (result) return result;
    if (now() >= deadline) break;
  }
  // Journaled, not deleted: the task may have been charged, so it is never submitted again and the
  // budget keeps it.
  const entry: GivenUp = {
    state: "given_up",
    since: submittedAt,
    task_id: taskId,
    given_up_at: now(),
  };
  await deps.journal.set(job.key, entry);
  deps.log?.({ level: "warn", message: "task given up", key: job.key, task_id: taskId });
  throw givenUp(entry, deps);
}

function givenUp(entry: GivenUp, deps: GenerationDeps): GlmImageError {
  const seconds = deps.config.TASK_GIVE_UP_SECONDS;
  const after = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} s`;
  return new GlmImageError(
    "upstream_error",
    `ZhiPu never finished task ${entry.task_id} (submitted ${new Date(entry.since).toISOString()}); it was given up after ${after} and is not asked for again, since it may have been charged. Change the prompt to pay for a new image`,
    { retryable: false },
  );
}

/** Downloads the paid image (checked: type from the bytes, length, cap) and stores it. */
async function store(job: GenerationJob, paid: Paid, deps: GenerationDeps) {
  const now = deps.now ?? Date.now;
  const fields = metadataOf(job.request, paid);
  try {
    const image = await downloadImage(paid.url, deps.fetch ? { fetch: deps.fetch } : {});
    // The image is the payer's, and the asker's when another's request stores it.
    const owners = [...new Set([paid.tenant ?? job.tenant, job.tenant])];
    const metadata = await deps.store.put(
      job.key,
      image.body,
      image.contentLength,
      { ...fields, content_type: image.contentType },
      owners,
    );
    await deps.journal.delete(job.key);
    return { ok: true as const, stored: true as const, metadata };
  } catch (error) {
    const attempts = paid.attempts + 1;
    const failed: Paid = {
      ...paid,
      attempts,
      retry_at: now() + retryDelayMs(attempts),
      last_error: describe(error),
    };
    await deps.journal.set(job.key, failed);
    deps.log?.({
      level: "warn",
      message: "store failed",
      key: job.key,
      attempts,
      error: describe(error),
    });
    return unstored(job, failed, now());
  }
}

function unstored(job: GenerationJob, paid: Paid, now: number): GenerationOutcome {
  return {
    ok: true,
    stored: false,
    upstreamUrl: paid.url,
    metadata: metadataOf(job.request, paid),
    warning: `The image was generated but could not be stored yet (${paid.last_error ?? "download failed"}); it is paid for and will be stored on a later request, and its upstream URL expires in 30 days`,
    retryAfter: Math.max(1, Math.ceil((paid.retry_at - now) / 1000)),
  };
}

function metadataOf(request: GenerationRequest, paid: Paid) {
  return {
    prompt: request.prompt,
    model: request.model,
    size: request.size,
    quality: request.quality,
    created: paid.created,
    content_type: "application/octet-stream",
    content_filter: paid.content_filter,
  };
}

/** A request to the edge waits for short upstream Retry-Afters only; longer ones are passed on. */
const MAX_RETRY_WAIT_MS = 2_000;

function clientOptions(deps: GenerationDeps): ClientOptions {
  return {
    apiKey: deps.config.ZHIPU_API_KEY,
    baseUrl: deps.config.ZHIPU_BASE_URL,
    maxRetryWaitMs: MAX_RETRY_WAIT_MS,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
}

const howToClear = (key: string) =>
  `If ZhiPu's bills show no charge for it, DELETE /v1/images/${key} clears it and the next request generates it`;

/** What a later request answers for a paid call that may have been charged and cannot be resumed. */
function unsettled(key: string, entry: Pending): GlmImageError {
  const how = entry.failure ?? "interrupted";
  return new GlmImageError(
    "upstream_error",
    `An earlier call to ZhiPu for this image (${new Date(entry.since).toISOString()}, ${how}) ended without a readable answer and may have been charged; it is not sent again automatically, so as not to pay twice. ${howToClear(key)}`,
    {
      retryable: false,
      mayHaveCharged: true,
      ...(entry.request_id === undefined ? {} : { requestId: entry.request_id }),
    },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function outcomeErrorOf(error: unknown): OutcomeError {
  if (isGlmImageError(error)) {
    return {
      ...error.toJSON(),
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined
        ? {}
        : { retry_after: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) }),
    };
  }
  return { code: "upstream_error", message: describe(error) };
}
