import { isGlmImageError } from "@glm-image/core";

/** Connection failures that happen before a request leaves: nothing reached the upstream. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME"]);

function errnoCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * Whether a failed paid call (a generation POST or an async submit) may still have been charged.
 * Only answers that prove no charge say no: a value refused locally, an upstream error answer
 * (a 4xx, or a 5xx with the upstream's error body), a refused connection or a failed name lookup.
 * Anything after the request may have left (a 2xx that cannot be read, a reset, a time-out, an
 * interruption) may have been paid for.
 */
export function mayHaveCharged(error: unknown): boolean {
  if (!isGlmImageError(error)) return true;
  if (error.code === "MISSING_API_KEY" || error.code.startsWith("INVALID_")) return false;
  if (error.status !== undefined && error.status >= 400 && error.status < 500) return false;
  if (error.status !== undefined && error.status >= 500 && error.upstreamCode !== undefined) {
    return false;
  }
  if (error.code === "NETWORK_ERROR") {
    return !errnoCodes(error.cause).some((code) => NEVER_SENT.has(code));
  }
  return true;
}
