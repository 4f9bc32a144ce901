import type { GenerationRequest } from "./schemas.ts";

export type ContentKeyInput = Pick<
  GenerationRequest,
  "model" | "prompt" | "size" | "quality" | "watermark_enabled"
> & {
  /** Which of several images of one request (OpenAI's `n`): 0 or absent is the first. */
  variant?: number;
};

const CONTENT_KEY_VERSION = "glm-image/v1";

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * SHA-256 hex of what decides an image: model, prompt, size, quality and watermark of a
 * normalised request, and the variant number past the first (variant 0 keeps the keys made
 * before variants existed). `user_id` only serves moderation and is left out. The same on every
 * runtime.
 */
export async function contentKey(request: ContentKeyInput): Promise<string> {
  const canonical = JSON.stringify([
    CONTENT_KEY_VERSION,
    request.model,
    request.prompt,
    request.size,
    request.quality,
    request.watermark_enabled,
    ...(request.variant ? [request.variant] : []),
  ]);
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
}
