import { GlmImageError, isGlmImageError } from "@glm-image/core";

/** How long a caller is asked to wait when storage or coordination cannot be reached. */
export const STORAGE_RETRY_AFTER_MS = 5_000;

/**
 * A store, KV or Durable Object that failed: 503 `storage_unavailable` with Retry-After. The
 * message is for anyone (it names the part, never an endpoint or the failure's own words); the
 * failure itself is the `cause`, for the logs.
 */
export function storageUnavailable(part: string, cause: unknown): GlmImageError {
  return new GlmImageError(
    "storage_unavailable",
    `The service's ${part} cannot be reached right now; try again in a few seconds (an image is never paid for twice)`,
    { retryable: true, retryAfterMs: STORAGE_RETRY_AFTER_MS, cause },
  );
}

export const isStorageFault = (error: unknown): error is GlmImageError =>
  isGlmImageError(error) && error.code === "storage_unavailable";

/**
 * Runs one call to a storage dependency and names its failure `storage_unavailable`. Our own
 * errors pass through as they are (a download that failed while its bytes streamed into a store
 * is still DOWNLOAD_FAILED).
 */
export async function guarded<T>(part: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isGlmImageError(error)) throw error;
    throw storageUnavailable(part, error);
  }
}
