import { parseSize } from "@glm-image/core";
import type { Context } from "hono";
import { errorResponse } from "./errors.ts";

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (character) =>
      ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[character] ??
      character,
  );

/** Splits a sentence into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > maxLines
    ? [...lines.slice(0, maxLines - 1), `${lines[maxLines - 1]?.slice(0, width - 1)}…`]
    : lines;
}

const titles: Record<number, string> = {
  400: "This image cannot be made",
  429: "Too many new images right now",
  502: "The image service failed",
  503: "The image is not ready yet",
};

/**
 * An SVG of the requested size that says why the image is not there: what a README shows instead
 * of a broken image. Dark text on a light ground (WCAG AA).
 */
export function placeholderSvg(
  width: number,
  height: number,
  status: number,
  message: string,
  retryAfter?: string | null,
): string {
  const unit = Math.max(12, Math.round(Math.min(width, height) / 28));
  const title = titles[status] ?? "The image is not available";
  const lines = wrap(message, Math.max(16, Math.floor((width * 0.84) / (unit * 0.55))), 6);
  const hint = retryAfter ? `Reload in ${retryAfter} s; it is never paid twice.` : "";
  const top = Math.round(height / 2 - ((lines.length + 3) * unit * 1.4) / 2);
  const text = [
    `<text x="50%" y="${top}" font-size="${Math.round(unit * 1.5)}" font-weight="700">${escapeXml(title)}</text>`,
    ...lines.map(
      (line, index) =>
        `<text x="50%" y="${Math.round(top + (index + 1.6) * unit * 1.4)}" font-size="${unit}">${escapeXml(line)}</text>`,
    ),
    hint
      ? `<text x="50%" y="${Math.round(top + (lines.length + 2.4) * unit * 1.4)}" font-size="${unit}">${escapeXml(hint)}</text>`
      : "",
  ].join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(`${title}: ${message}`)}"><rect width="100%" height="100%" fill="#f3f4f6"/><rect x="${unit / 2}" y="${unit / 2}" width="${width - unit}" height="${height - unit}" fill="none" stroke="#6b7280" stroke-width="${Math.max(2, unit / 6)}" stroke-dasharray="${unit} ${unit / 2}"/><g font-family="system-ui, sans-serif" fill="#1f2937" text-anchor="middle">${text}</g></svg>`;
}

/** Whether the caller asked for JSON rather than an image. */
export const wantsJson = (context: Context) =>
  context.req.header("accept")?.includes("application/json") ?? false;

/**
 * A failed image answer as a placeholder: the JSON error's status, message and Retry-After, as an
 * SVG of the requested size, never cached; or the JSON error itself when the caller asks for JSON.
 */
export async function placeholderResponse(
  context: Context,
  error: unknown,
  size: string,
): Promise<Response> {
  const json = errorResponse(context, error);
  if (wantsJson(context)) return json;
  const body = (await json.json()) as { error: { code: string; message: string } };
  const { width, height } = parseSize(size) ?? { width: 1024, height: 1024 };
  const retryAfter = json.headers.get("retry-after");
  const headers: Record<string, string> = {
    "content-type": "image/svg+xml; charset=utf-8",
    "cache-control": "no-store",
    "x-error-code": body.error.code,
  };
  if (retryAfter) headers["retry-after"] = retryAfter;
  const svg = placeholderSvg(width, height, json.status, body.error.message, retryAfter);
  return new Response(context.req.method === "HEAD" ? null : svg, {
    status: json.status,
    headers,
  });
}
