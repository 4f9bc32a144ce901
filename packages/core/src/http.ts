import { GlmImageError, redact } from "./errors.ts";
import { type RetryInfo, type Sleep, withRetries } from "./retry.ts";
import { errorFromUpstream } from "./upstream-errors.ts";

export const DEFAULT_BASE_URL = "https://open.bigmodel.cn/api/paas/v4";
export const INTERNATIONAL_BASE_URL = "https://api.z.ai/api/paas/v4";
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ClientOptions {
  apiKey?: string | undefined;
  /** `https://open.bigmodel.cn/api/paas/v4` unless given. */
  baseUrl?: string | undefined;
  fetch?: typeof fetch;
  /** Deadline for the whole call, retries and waits included. */
  timeoutMs?: number;
  /** Attempts after the first for rate limits, overloads, 5xx and network failures. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown with it at once. */
  maxRetryWaitMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  sleep?: Sleep;
  random?: () => number;
}

/**
 * A deadline signal joined with the caller's own, and a way to tell which one fired.
 * `timeoutMs: Infinity` sets no deadline.
 */
export function withDeadline(options: Pick<ClientOptions, "timeoutMs" | "signal">) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [deadline, options.signal].filter((signal) => signal !== undefined);
  const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  const translate = (error: unknown): unknown =>
    deadline?.aborted && !options.signal?.aborted && !(error instanceof GlmImageError)
      ? new GlmImageError("TIMEOUT", `No answer within ${timeoutMs / 1000} s`, { cause: error })
      : error;
  return { signal, translate };
}

export function requireApiKey(apiKey: string | undefined): string {
  if (!apiKey) {
    throw new GlmImageError(
      "MISSING_API_KEY",
      "ZHIPU_API_KEY not configured. Get your API key at: https://bigmodel.cn/usercenter/proj-mgmt/apikeys",
    );
  }
  return apiKey;
}

/**
 * One JSON call to the ZhiPu API with retries inside an overall deadline. Answers the parsed body
 * of a 2xx answer; throws a GlmImageError with the contract's code for anything else.
 */
export async function callApi(
  path: string,
  init: { method: "GET" | "POST"; body?: unknown },
  options: ClientOptions,
): Promise<unknown> {
  const apiKey = requireApiKey(options.apiKey);
  const url = `${(options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "")}${path}`;
  const fetchImpl = options.fetch ?? fetch;
  const { signal, translate } = withDeadline(options);
  const attempt = async () => {
    let response: Response;
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
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = error instanceof Error ? (error.cause ?? error) : error;
      const detail = reason instanceof Error ? reason.message : String(reason);
      throw new GlmImageError("NETWORK_ERROR", redact(`Network error: ${detail}`, [apiKey]), {
        retryable: true,
        cause: error,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (response.ok) {
        throw new GlmImageError("upstream_error", "The image service sent an unreadable answer", {
          status: response.status,
          retryable: true,
        });
      }
    }
    if (!response.ok) {
      const error = errorFromUpstream(response.status, body, response.headers);
      if (error.message.includes(apiKey)) {
        throw new GlmImageError(error.code, redact(error.message, [apiKey]), {
          status: error.status,
          upstreamCode: error.upstreamCode,
          retryable: error.retryable,
          retryAfterMs: error.retryAfterMs,
        });
      }
      throw error;
    }
    return body;
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
    throw translate(error);
  }
}
