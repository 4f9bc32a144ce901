import {
  type ClientOptions,
  sleep as defaultSleep,
  downloadImage,
  fetchImageTask,
  type GenerationRequest,
  type GenerationResult,
  GlmImageError,
  generateImage,
  resultFromTask,
  type Sleep,
  submitImageTask,
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
import { dailyLimitOf } from "./tenants.ts";

/** The models whose async API the upstream documents: their task id is journaled at once. */
const ASYNC_MODELS: ReadonlySet<string> = new Set(["glm-image"]);
/** Waits between polls of an async task: the first at once, then growing. */
const POLL_WAITS_MS = [0, 250, 500, 1_000, 2_000, 3_000];
/** How long one request waits for a task; the next request resumes polling the same task. */
export const TASK_WAIT_MS = 10 * 60_000;
/** Backoff between download attempts across requests: 1 s, 2 s, 4 s, ... up to 5 min. */
const retryDelayMs = (attempts: number) => Math.min(1_000 * 2 ** (attempts - 1), 300_000);

type Paid = Extract<JournalEntry, { state: "paid" }>;

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
 * crash, a failed download or a failed store never leads to paying twice.
 */
export async function produceImage(
  job: GenerationJob,
  deps: GenerationDeps,
): Promise<GenerationOutcome> {
  const now = deps.now ?? Date.now;
  let [existing, entry] = await Promise.all([
    deps.store.metadata(job.key),
    deps.journal.get(job.key),
  ]);
  if (existing) {
    if (entry) await deps.journal.delete(job.key);
    return { ok: true, stored: true, metadata: existing };
  }
  if (entry?.state === "pending") {
    // The holder died between writing `pending` and journaling the upstream's answer: nothing
    // says an image was paid for, and nothing can be resumed.
    deps.log?.({ level: "warn", message: "interrupted generation restarted", key: job.key });
    entry = null;
  }
  if (entry?.state === "paid" && entry.retry_at > now()) return unstored(job, entry, now());
  try {
    // No entry: this job pays now (a resumed entry was paid for by an earlier request).
    const paysNow = entry === null;
    const paid = entry?.state === "paid" ? entry : await pay(job, entry, deps);
    const outcome = await store(job, paid, deps);
    return paysNow && outcome.ok && outcome.stored ? { ...outcome, paid: true } : outcome;
  } catch (error) {
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
    await deps.journal.set(job.key, { state: "pending", since: now(), tenant: payer });
    try {
      if (ASYNC_MODELS.has(job.request.model)) {
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
      // Nothing was delivered. The budgets are given back only when the upstream provably did not
      // make an image (it answered a refusal, or was never asked): a call whose answer was lost
      // may have been paid for.
      await deps.journal.delete(job.key);
      if (provablyRefused(error)) await deps.budget?.refund(day, charge, limits);
      throw error;
    }
  }
  if (taskId !== undefined) result = await awaitTask(job, taskId, deps);
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
 * Polls a task until it succeeds or fails, within TASK_WAIT_MS. A task that failed is over (its
 * entry goes); one that a poll could not reach, or that is still running, stays journaled and is
 * resumed by the next request.
 */
async function awaitTask(
  job: GenerationJob,
  taskId: string,
  deps: GenerationDeps,
): Promise<GenerationResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const deadline = now() + TASK_WAIT_MS;
  const client = clientOptions(deps);
  for (let poll = 0; now() < deadline; poll++) {
    await sleep(POLL_WAITS_MS[Math.min(poll, POLL_WAITS_MS.length - 1)] ?? 0);
    const task = await fetchImageTask(taskId, client);
    let result: GenerationResult | undefined;
    try {
      result = resultFromTask(job.request, task);
    } catch (error) {
      await deps.journal.delete(job.key);
      throw error;
    }
    if (result) return result;
  }
  throw new GlmImageError(
    "TIMEOUT",
    "The image is still being generated; ask again later, it will not be paid for twice",
    { retryable: true, retryAfterMs: 5_000 },
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

/**
 * Whether the upstream provably made no image: it answered with an HTTP error, or its content
 * filter withheld the image, or it was never called. Lost answers (a network failure, a time-out)
 * and unreadable successes are not: those may have been paid for.
 */
function provablyRefused(error: unknown): boolean {
  if (!(error instanceof GlmImageError)) return false;
  if (error.code === "MISSING_API_KEY" || error.code === "content_filter_violation") return true;
  return error.status !== undefined && error.status >= 400;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function outcomeErrorOf(error: unknown): OutcomeError {
  if (error instanceof GlmImageError) {
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
