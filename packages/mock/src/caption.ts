// What a mock image says under the word MOCK: the prompt's first words when the bitmap font can
// draw them, otherwise (Chinese, Japanese, emoji, ...) the request's content key and its size,
// so that every image names the request that made it instead of a row of question marks.
import { createHash } from "node:crypto";
import { canDraw } from "./bitmap-font.ts";

/** What decides a mock image, as the generation request had it (defaults applied). */
export interface CaptionRequest {
  model: string;
  prompt: string;
  size: string;
  quality: string;
  watermark_enabled: boolean;
}

/**
 * The content key glm-image gives this request: SHA-256 hex of the versioned canonical JSON
 * `["glm-image/v1", model, prompt (trimmed), size, quality, watermark]`, written here from that
 * documented rule (the mock imports nothing of ours). An image's stored name (`/images/<key>.png`,
 * the CLI's `--out-dir` names) starts with it.
 */
export function contentKeyOf(request: CaptionRequest): string {
  const canonical = JSON.stringify([
    "glm-image/v1",
    request.model,
    request.prompt.trim(),
    request.size,
    request.quality,
    request.watermark_enabled,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** Characters of the key shown on an image: enough to tell images apart, like a short commit. */
export const SHORT_KEY = 8;

/** Splits the prompt's first words into at most `lines` lines of at most `columns` characters. */
function firstWords(prompt: string, columns: number, lines: number): string[] {
  const result: string[] = [];
  let line = "";
  for (const word of prompt.trim().split(/\s+/).filter(Boolean)) {
    const piece = word.slice(0, columns);
    if (line && line.length + 1 + piece.length > columns) {
      result.push(line);
      if (result.length === lines) return result;
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) result.push(line);
  return result;
}

/**
 * The lines written on an image of `prompt`: its first words, or, when the font lacks any of its
 * characters, `KEY <first characters of the content key>` and the size.
 */
export function captionLines(
  prompt: string,
  { key, size }: { key: string; size: string },
  columns = 18,
  lines = 3,
): string[] {
  if (canDraw(prompt)) return firstWords(prompt, columns, lines);
  return [`KEY ${key.slice(0, SHORT_KEY)}`, size];
}
