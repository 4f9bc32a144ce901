import type { GenerationRequest } from "@glm-image/core";
import type { Coordinator } from "./ports.ts";

/** What an answer depends on, beside the request itself. */
export interface AnswerShape {
  n: number;
  responseFormat: "url" | "b64_json";
}

const DIGEST_VERSION = "glm-image/idempotency/v1";

/**
 * SHA-256 hex of the whole parsed request: every field of the core request (so two spellings of
 * one request are one request, and an ignored field changes nothing), `n` and `response_format`.
 */
export async function requestDigest(
  request: GenerationRequest,
  { n, responseFormat }: AnswerShape,
): Promise<string> {
  const fields = Object.entries({ ...request, n, response_format: responseFormat }).sort(
    ([left], [right]) => (left < right ? -1 : 1),
  );
  const canonical = JSON.stringify([DIGEST_VERSION, fields]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Binds a caller's Idempotency-Key to the digest of its first request; true when this request is
 * that one (or the first), false when the key was bound to another request. Keys are per token.
 */
export async function isSameRequest(
  coordinator: Coordinator,
  scope: { tokenId: string; idempotencyKey: string },
  digest: string,
): Promise<boolean> {
  const bound = await coordinator.claim(`${scope.tokenId}:${scope.idempotencyKey}`, digest);
  return bound === digest;
}
