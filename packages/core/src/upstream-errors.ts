import { type ErrorCode, GlmImageError, meaningOf } from "./errors.ts";
import type { HeaderReader } from "./fetch.ts";

const codeRanges: ReadonlyArray<{ codes: (code: number) => boolean; code: ErrorCode }> = [
  {
    codes: (code) => code === 1113 || code === 1304 || code === 1308 || code === 1310,
    code: "quota_exceeded",
  },
  { codes: (code) => code >= 1000 && code <= 1004, code: "authentication_error" },
  { codes: (code) => code >= 1110 && code <= 1121, code: "authentication_error" },
  { codes: (code) => code === 1301, code: "content_filter_violation" },
  { codes: (code) => [1302, 1303, 1305, 1312].includes(code), code: "rate_limit_exceeded" },
  { codes: (code) => (code >= 1210 && code <= 1215) || code === 1261, code: "invalid_request" },
];

function codeFromStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return "authentication_error";
  if (status === 429) return "rate_limit_exceeded";
  if (status === 408) return "TIMEOUT";
  if (status >= 500) return "upstream_error";
  return "invalid_request";
}

/** Whether an error code describes a condition that may pass if the same request is sent again. */
export function isRetryableCode(code: ErrorCode): boolean {
  return meaningOf(code).retryable;
}

/**
 * Reads a Retry-After delay in milliseconds from `retry-after-ms`, `Retry-After` seconds or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  headers: HeaderReader,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) {
    return Number(milliseconds);
  }
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface UpstreamErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/**
 * Maps a non-2xx upstream answer to a contract error, keeping its status, ZhiPu code and ZhiPu's
 * own words (`upstreamMessage`, often Chinese); the `message` is ours, in English, saying what to do.
 */
export function errorFromUpstream(
  status: number,
  body: unknown,
  headers: HeaderReader,
): GlmImageError {
  const error = (body as UpstreamErrorBody | null)?.error;
  const upstreamCode =
    typeof error?.code === "string" || typeof error?.code === "number"
      ? String(error.code)
      : undefined;
  const numeric = upstreamCode === undefined ? Number.NaN : Number(upstreamCode);
  const code =
    codeRanges.find((range) => !Number.isNaN(numeric) && range.codes(numeric))?.code ??
    codeFromStatus(status);
  const upstreamMessage =
    typeof error?.message === "string" && error.message.trim() !== "" ? error.message : undefined;
  return new GlmImageError(code, upstreamErrorMessage(code, status, numeric), {
    status,
    upstreamCode,
    upstreamMessage,
    retryable: isRetryableCode(code),
    retryAfterMs: parseRetryAfter(headers),
  });
}

/** Our English sentence for an upstream refusal: what happened and what to do about it. */
export function upstreamErrorMessage(
  code: ErrorCode,
  status: number,
  upstreamCode = Number.NaN,
): string {
  const where = Number.isNaN(upstreamCode)
    ? `HTTP ${status}`
    : `HTTP ${status}, code ${upstreamCode}`;
  switch (code) {
    case "authentication_error":
      return upstreamCode >= 1110 && upstreamCode <= 1121
        ? `The ZhiPu account cannot be used (${where}); check its state in the ZhiPu console`
        : `The ZhiPu API key was refused (${where}); check ZHIPU_API_KEY`;
    case "quota_exceeded":
      return `The ZhiPu account's balance or quota is exhausted (${where}); top it up, then try again`;
    case "content_filter_violation":
      return `The prompt was refused by ZhiPu's content filter (${where}); rephrase it`;
    case "rate_limit_exceeded":
      return `ZhiPu's rate or concurrency limit was reached (${where}); try again later`;
    case "invalid_request":
      return upstreamCode === 1211
        ? `ZhiPu does not know this model (${where}); use one of the documented models`
        : `ZhiPu refused the request's parameters (${where})`;
    case "TIMEOUT":
      return `ZhiPu did not answer in time (${where}); try again later`;
    default:
      return `The image service failed (${where}); try again later`;
  }
}
