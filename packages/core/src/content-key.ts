import { DEFAULT_MODEL, formatSize, type ModelName, modelRules, parseSize } from "./models.ts";

/** What decides an image, as a caller has it: raw spellings and omitted defaults are fine. */
export interface ContentKeyInput {
  prompt: string;
  model?: string | undefined;
  size?: string | undefined;
  quality?: string | undefined;
  watermark_enabled?: boolean | undefined;
  /** Which of several images of one request (OpenAI's `n`): 0 or absent is the first. */
  variant?: number | undefined;
}

const CONTENT_KEY_VERSION = "glm-image/v1";

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * The fields of the key, normalised as the request schema does (prompt trimmed, per-model
 * defaults, size written `WxH`), without rejecting anything: two spellings of one request always
 * share a key, and a normalised request keeps the key it always had. A variant past the first is
 * appended; variant 0 keeps the key made before variants existed.
 */
function canonicalFields(input: ContentKeyInput) {
  const model = input.model ?? DEFAULT_MODEL;
  const rules = Object.hasOwn(modelRules, model) ? modelRules[model as ModelName] : undefined;
  const parsed = input.size === undefined ? undefined : parseSize(input.size);
  const size = parsed ? formatSize(parsed) : (input.size ?? rules?.defaultSize);
  return [
    CONTENT_KEY_VERSION,
    model,
    input.prompt.trim(),
    size,
    input.quality ?? rules?.defaultQuality,
    input.watermark_enabled ?? true,
    ...(input.variant ? [input.variant] : []),
  ];
}

/**
 * SHA-256 hex of what decides an image: model, prompt, size, quality and watermark, and the
 * variant number past the first. `user_id` only serves moderation and is left out. The same on
 * every runtime.
 */
export async function contentKey(request: ContentKeyInput): Promise<string> {
  const canonical = JSON.stringify(canonicalFields(request));
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
}
