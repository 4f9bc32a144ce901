import { type GlmImageError, isGlmImageError } from "./errors.ts";

export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: GlmImageError;
}

export interface RetryOptions {
  /** Attempts after the first; 0 disables retries. */
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After we honour; longer waits are capped to this. */
  maxRetryAfterMs?: number;
  /**
   * A Retry-After longer than this is not waited for: the error is thrown at once, its
   * `retryAfterMs` telling the caller when to come back (a server passes it on to its client).
   */
  maxWaitMs?: number;
  sleep?: Sleep;
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 8_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export const sleep: Sleep = (milliseconds, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * The wait before the next attempt: the upstream's Retry-After when it gave one (capped),
 * otherwise exponential backoff with jitter between half and the whole of the step.
 */
export function retryDelay(
  attempt: number,
  error: GlmImageError,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "random"> = {},
): number {
  if (error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  }
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const step = Math.min(base * 2 ** (attempt - 1), options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const random = options.random ?? Math.random;
  return Math.round(step * (0.5 + random() / 2));
}

/** Runs an operation, running it again after retryable GlmImageErrors, never after an abort. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryable =
        isGlmImageError(error) &&
        error.retryable &&
        attempt <= options.maxRetries &&
        !options.signal?.aborted;
      if (!retryable) throw error;
      const delayMs = retryDelay(attempt, error, options);
      if (options.maxWaitMs !== undefined && delayMs > options.maxWaitMs) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await (options.sleep ?? sleep)(delayMs, options.signal);
    }
  }
}
