import * as z from "zod";
import { GlmImageError, isGlmImageError, withDetails } from "./errors.ts";
import { noHeaders } from "./fetch.ts";
import {
  contentFilterSchema,
  type GenerationResult,
  readAnswer,
  requestIdOf,
  resultFromAnswer,
} from "./generate.ts";
import { type CallState, type ClientOptions, callApi, withDeadline } from "./http.ts";
import { sleep as defaultSleep } from "./retry.ts";
import { asGenerationRequest, type GenerationInput, type GenerationRequest } from "./schemas.ts";
import { errorFromUpstream } from "./upstream-errors.ts";

const taskSchema = z.object({ id: z.string(), task_status: z.string().optional() }).loose();

export const asyncResultSchema = z
  .object({
    id: z.string().optional(),
    task_status: z.enum(["PROCESSING", "SUCCESS", "FAIL"]),
    created: z.number().optional(),
    image_result: z.array(z.object({ url: z.string() }).loose()).optional(),
    content_filter: contentFilterSchema.optional(),
    error: z.object({ code: z.unknown(), message: z.unknown() }).partial().optional(),
  })
  .loose();
export type AsyncResult = z.infer<typeof asyncResultSchema>;

export interface AsyncOptions extends ClientOptions {
  /** First wait between polls; grows by half each poll up to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  onPoll?: (result: AsyncResult) => void;
}

/**
 * Submits a generation task (`POST {base}/async/images/generations`) for a request, parsed here
 * unless it was already. Paid work: sent again only after an answer that proves it was not
 * charged; a lost answer is final, with its task id (`taskId`) when one was readable.
 */
export async function submitImageTask(
  input: GenerationInput,
  options: ClientOptions,
): Promise<{ request: GenerationRequest; id: string }> {
  return submitTask(asGenerationRequest(input), options, { unsettled: false });
}

async function submitTask(request: GenerationRequest, options: ClientOptions, call: CallState) {
  const body = await callApi(
    "/async/images/generations",
    { method: "POST", body: request, answersTask: true },
    options,
    call,
  );
  const id = readAnswer(taskSchema, body, true).id;
  call.unsettled = false;
  return { request, id, requestId: requestIdOf(body) };
}

/** Reads a task's state once: `GET {base}/async-result/{id}`. */
export async function fetchImageTask(id: string, options: ClientOptions): Promise<AsyncResult> {
  const body = await callApi(`/async-result/${encodeURIComponent(id)}`, { method: "GET" }, options);
  return readAnswer(asyncResultSchema, body);
}

/**
 * Generates with the async API: submits, then polls with growing waits until SUCCESS or FAIL,
 * all within the overall deadline (`timeoutMs`).
 */
export async function generateImageAsync(
  input: GenerationInput,
  options: AsyncOptions,
): Promise<GenerationResult> {
  const request = asGenerationRequest(input);
  const { signal, translate } = withDeadline(options);
  const scoped: ClientOptions = { ...options, timeoutMs: Number.POSITIVE_INFINITY };
  if (signal) scoped.signal = signal;
  const sleep = options.sleep ?? defaultSleep;
  const submission: CallState = { unsettled: false };
  let id: string | undefined;
  try {
    ({ id } = await submitTask(request, scoped, submission));
    let interval = options.pollIntervalMs ?? 1_000;
    for (;;) {
      await sleep(interval, signal);
      const result = await fetchImageTask(id, scoped);
      options.onPoll?.(result);
      const done = resultFromTask(request, { ...result, id: result.id ?? id });
      if (done) return done;
      interval = Math.min(interval * 1.5, options.maxPollIntervalMs ?? 5_000);
    }
  } catch (error) {
    const translated = translate(error, submission);
    // Past the submission, the task is paid work under way: keep its id on every error (a task
    // that ended FAIL was not charged, and says so itself).
    if (id === undefined || !isGlmImageError(translated) || translated.taskId) {
      throw translated;
    }
    throw withDetails(translated, { taskId: id, mayHaveCharged: true, retryable: false });
  }
}

/**
 * What a polled task amounts to: its result once SUCCESS, undefined while PROCESSING; a FAIL
 * throws the contract error it maps to.
 */
export function resultFromTask(
  request: GenerationRequest,
  result: AsyncResult,
): GenerationResult | undefined {
  if (result.task_status === "SUCCESS") {
    return resultFromAnswer(request, {
      created: result.created,
      url: result.image_result?.[0]?.url,
      contentFilter: result.content_filter ?? [],
      taskId: result.id,
    });
  }
  if (result.task_status === "FAIL") throw failure(result);
  return undefined;
}

/** A task that ended FAIL: over, and not charged. */
function failure(result: AsyncResult): GlmImageError {
  if (result.error?.code !== undefined) {
    const mapped = errorFromUpstream(200, { error: result.error }, noHeaders);
    return new GlmImageError(mapped.code, `The image task failed: ${mapped.message}`, {
      upstreamCode: mapped.upstreamCode,
      upstreamMessage: mapped.upstreamMessage,
      taskId: result.id,
    });
  }
  return new GlmImageError("upstream_error", "The image task failed", { taskId: result.id });
}
