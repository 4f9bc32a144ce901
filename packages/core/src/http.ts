import { DEFAULT_BASE_URL, displayUrl, validateBaseUrl } from "./base-url.ts";
import { GlmImageError, isGlmImageError, redact, withDetails } from "./errors.ts";
import type { Fetch, HttpAnswer } from "./fetch.ts";
import { missingApiKey } from "./missing-api-key.ts";
import { describeNetworkFailure } from "./network-failure.ts";
import { type RetryInfo, type Sleep, withRetries } from "./retry.ts";
import { unpooledClient } from "./unpooled-client.ts";
import { errorFromUpstream } from "./upstream-errors.ts";

export { DEFAULT_BASE_URL, INTERNATIONAL_BASE_URL } from "./base-url.ts";
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ClientOptions {
  apiKey?: string | undefined;
  /** `https://open.bigmodel.cn/api/paas/v4` unless given. */
  baseUrl?: string | undefined;
  /** Default `globalThis.fetch`. */
  fetch?: Fetch;
  /** Deadline for the whole call, retries and waits included. */
  timeoutMs?: number;
  /**
   * Attempts after the first for rate limits, overloads, 5xx and network failures; a paid POST
   * only after an answer that proves it was not charged (see callApi).
   */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown with it at once. */
  maxRetryWaitMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  sleep?: Sleep;
  random?: () => number;
}

/** Where a paid call stands: sent, and no answer yet proved that it was refused. */
export interface CallState {
  unsettled: boolean;
  /** The host it went to, for messages. */
  host?: string;
}

const mayHaveCharged = "ZhiPu may have accepted it and charged for it, so it is not sent again";

/**
 * A deadline signal joined with the caller's own, and a way to tell which one fired.
 * `timeoutMs: Infinity` sets no deadline. A deadline that fires while a paid call is unsettled
 * says so (`mayHaveCharged`).
 */
export function withDeadline(options: Pick<ClientOptions, "timeoutMs" | "signal">) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [deadline, options.signal].filter((signal) => signal !== undefined);
  const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  const translate = (error: unknown, call?: CallState): unknown => {
    if (!deadline?.aborted || options.signal?.aborted || isGlmImageError(error)) {
      return error;
    }
    const seconds = timeoutMs / 1000;
    if (call?.unsettled) {
      return new GlmImageError(
        "TIMEOUT",
        `No answer within ${seconds} s to a request sent to ${call.host}; ${mayHaveCharged} automatically`,
        { mayHaveCharged: true, cause: error },
      );
    }
    return new GlmImageError("TIMEOUT", `No answer within ${seconds} s`, { cause: error });
  };
  return { signal, translate };
}

export function requireApiKey(apiKey: string | undefined): string {
  if (!apiKey) throw missingApiKey();
  return apiKey;
}

/** The text of a body, or as much of it as arrived before it failed. */
async function readText(response: HttpAnswer): Promise<{ text: string; failure?: unknown }> {
  if (!response.body) return { text: "" };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode() };
      text += decoder.decode(value, { stream: true });
    }
  } catch (failure) {
    return { text, failure };
  }
}

/** A string field of a JSON text, whole even when the text is cut short after it. */
function fieldOf(text: string, name: string): string | undefined {
  return new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{1,200})"`).exec(text)?.[1];
}

/** Whether a body is the upstream's own error answer: `{"error": {"code"?, "message"?}}`. */
function isUpstreamError(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === "object" && error !== null && ("code" in error || "message" in error);
}

const zhipuCode = /^1\d{3}$/;

export interface CallInit {
  method: "GET" | "POST";
  body?: unknown;
  /** The answer names an async task (`id`): a cut-short answer's id is kept on the error. */
  answersTask?: boolean;
}

/**
 * One JSON call to the ZhiPu API with retries inside an overall deadline. Answers the parsed body
 * of a 2xx answer; throws a GlmImageError with the contract's code for anything else.
 *
 * A POST is paid work. It is sent again only after an answer that proves it was not charged: a
 * 429, a 4xx, a 5xx carrying ZhiPu's error body, a refused connection, an unknown host. Anything
 * after the request left (a 2xx that cannot be read, a reset, a timeout, a bare 5xx) is final:
 * `retryable: false`, `mayHaveCharged: true`, with the request or task id when one was readable.
 * A GET (a poll) is retried after any failure that may pass.
 */
export async function callApi(
  path: string,
  init: CallInit,
  options: ClientOptions,
  call: CallState = { unsettled: false },
): Promise<unknown> {
  const apiKey = requireApiKey(options.apiKey);
  const base = validateBaseUrl(options.baseUrl);
  const baseUrl = new URL(base);
  const url = `${base}${path}`;
  const paid = init.method === "POST";
  const host = baseUrl.host;
  call.host = host;
  const fetchImpl: Fetch = options.fetch ?? fetch;
  const { signal, translate } = withDeadline(options);
  const check = "check ZHIPU_BASE_URL and your network";

  const send = async (runtimeInit: Record<string, unknown>) => {
    call.unsettled = paid;
    let response: HttpAnswer;
    try {
      response = await fetchImpl(url, {
        method: init.method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal,
        ...runtimeInit,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = describeNetworkFailure(error);
      const reason = redact(failure.reason, [apiKey]);
      if (failure.neverSent || !paid) {
        call.unsettled = false;
        throw new GlmImageError("NETWORK_ERROR", `Could not reach ${host} (${reason}); ${check}`, {
          retryable: true,
          cause: error,
        });
      }
      throw new GlmImageError(
        "NETWORK_ERROR",
        `The connection to ${host} failed (${reason}) and nothing shows whether the request reached it; ${mayHaveCharged} automatically; ${check}`,
        { mayHaveCharged: true, cause: error },
      );
    }
    const { text, failure } = await readText(response);
    if (failure !== undefined && signal?.aborted) throw failure;
    const ids = {
      requestId:
        response.headers.get("x-request-id") ??
        response.headers.get("request-id") ??
        fieldOf(text, "request_id"),
      taskId: init.answersTask && response.ok ? fieldOf(text, "id") : undefined,
    };
    let body: unknown;
    let readable = failure === undefined;
    if (readable) {
      try {
        body = JSON.parse(text);
      } catch {
        readable = false;
      }
    }
    if (response.ok) {
      if (readable) return body;
      const what = failure === undefined ? "could not be read" : "was cut short";
      const detail = failure === undefined ? "" : ` (${describeNetworkFailure(failure).reason})`;
      if (!paid) {
        throw new GlmImageError("upstream_error", `The answer from ${host} ${what}${detail}`, {
          status: response.status,
          retryable: true,
        });
      }
      throw new GlmImageError(
        "upstream_error",
        `The answer from ${host} ${what}${detail}; ${mayHaveCharged} automatically`,
        { status: response.status, mayHaveCharged: true, ...ids, cause: failure },
      );
    }
    const error = errorFromUpstream(response.status, body, response.headers);
    // Refused: a 429 or any 4xx, or a 5xx in ZhiPu's own words. A bare 5xx may come from a
    // gateway that gave up while ZhiPu went on generating.
    const refused = response.status < 500 || isUpstreamError(body);
    if (paid && !refused) {
      throw new GlmImageError(
        "upstream_error",
        `${host} answered HTTP ${response.status} without ZhiPu's error body (a gateway?); ${mayHaveCharged} automatically`,
        { status: response.status, mayHaveCharged: true, ...ids },
      );
    }
    call.unsettled = false;
    const noApi = response.status === 404 && !zhipuCode.test(error.upstreamCode ?? "");
    const message = noApi
      ? `There is no ZhiPu API at ${displayUrl(baseUrl)} (HTTP 404 for ${init.method} ${path}); check ZHIPU_BASE_URL (ZhiPu's is ${DEFAULT_BASE_URL})`
      : error.message;
    const upstreamMessage =
      error.upstreamMessage === undefined ? undefined : redact(error.upstreamMessage, [apiKey]);
    if (message === error.message && upstreamMessage === error.upstreamMessage) throw error;
    throw withDetails(error, { message, upstreamMessage });
  };
  const attempt = async () => {
    const connection = paid ? unpooledClient() : undefined;
    try {
      return await send(connection?.init ?? {});
    } finally {
      connection?.close();
    }
  };
  try {
    return await withRetries(attempt, {
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      signal,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.maxRetryWaitMs === undefined ? {} : { maxWaitMs: options.maxRetryWaitMs }),
      ...(options.random ? { random: options.random } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
  } catch (error) {
    throw translate(error, call);
  }
}
