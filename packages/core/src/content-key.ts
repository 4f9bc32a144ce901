import { asGenerationRequest, type GenerationRequest } from "./schemas.ts";

/**
 * What decides an image: a parsed request (`parseGenerationRequest`), and which of several images
 * of one request it is (OpenAI's `n`: 0 or absent is the first). A copy such as
 * `{ ...request, variant }` is fine.
 */
export type ContentKeyInput = GenerationRequest & {
  variant?: number | undefined;
};

const CONTENT_KEY_VERSION = "glm-image/v1";

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * SHA-256 hex of what decides an image: model, prompt, size, quality and watermark, and the
 * variant number past the first. `user_id` only serves moderation and is left out. The fields are
 * the parsed request's, as they are sent: normalised once, by the request schema (a copy or a
 * plain object is parsed first, which changes nothing in a parsed request and refuses a bad one).
 * A variant past the first is appended; variant 0 keeps the key made before variants existed.
 * The same on every runtime.
 */
export async function contentKey(input: ContentKeyInput): Promise<string> {
  const { variant, ...fields } = input;
  const request = asGenerationRequest(variant === undefined ? input : fields);
  const canonical = JSON.stringify([
    CONTENT_KEY_VERSION,
    request.model,
    request.prompt,
    request.size,
    request.quality,
    request.watermark_enabled,
    ...(variant ? [variant] : []),
  ]);
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
}
