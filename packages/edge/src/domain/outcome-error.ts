import { GlmImageError } from "@glm-image/core";
import type { GenerationOutcome } from "./ports.ts";

/** Turns an outcome's error (plain data from a Durable Object) back into the GlmImageError it was. */
export function outcomeError(outcome: Extract<GenerationOutcome, { ok: false }>): GlmImageError {
  const { code, message, status, upstream_code, upstream_message, retryable, retry_after } =
    outcome.error;
  return new GlmImageError(code, message, {
    ...(status === undefined ? {} : { status }),
    ...(upstream_code === undefined ? {} : { upstreamCode: upstream_code }),
    ...(upstream_message === undefined ? {} : { upstreamMessage: upstream_message }),
    ...(retryable === undefined ? {} : { retryable }),
    ...(retry_after === undefined ? {} : { retryAfterMs: retry_after * 1000 }),
  });
}
