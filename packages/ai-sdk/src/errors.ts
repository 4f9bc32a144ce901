import { APICallError, LoadAPIKeyError } from "@ai-sdk/provider";
import { isGlmImageError } from "@glm-image/core";

export interface CallContext {
  /** The endpoint called (or the image URL, for a failed download). */
  url: string;
  /** The request that was sent (no secret in it: the key travels in a header). */
  requestBodyValues: unknown;
  /** Images already paid for in this call when a later one failed: never lost in silence. */
  paidImageUrls?: string[];
}

/**
 * A failure of core as the AI SDK expects it, in this one place: an APICallError carrying the
 * HTTP status, the contract's error object in `data` (`code`, `upstream_code`...), `isRetryable`
 * as core judged it (false once anything of the call is paid for) and the wait the upstream asked for (`retry-after-ms`), so that the SDK's
 * own retries (`maxRetries`) decide; the GlmImageError as `cause`. An abort passes unchanged.
 */
export function toAiSdkError(error: unknown, context: CallContext): unknown {
  if (!isGlmImageError(error)) return error;
  if (error.code === "MISSING_API_KEY") return new LoadAPIKeyError({ message: error.message });
  const paid = context.paidImageUrls ?? [];
  return new APICallError({
    message:
      paid.length === 0
        ? error.message
        : `${error.message} (${paid.length} image(s) of this call were paid for before it failed: ${paid.join(", ")})`,
    url: context.url,
    requestBodyValues: context.requestBodyValues,
    ...(error.status === undefined ? {} : { statusCode: error.status }),
    ...(error.retryAfterMs === undefined
      ? {}
      : { responseHeaders: { "retry-after-ms": String(error.retryAfterMs) } }),
    // Asking again would pay again for what this call already paid for.
    isRetryable: error.retryable && paid.length === 0,
    data: { ...error.toJSON(), ...(paid.length === 0 ? {} : { paid_image_urls: paid }) },
    cause: error,
  });
}
