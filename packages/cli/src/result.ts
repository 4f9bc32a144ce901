import type { ContentFilter, ErrorObject } from "@glm-image/core";

/** The JSON line on stdout, with the seed's fields in the seed's order, then ours. */
export interface CliResult {
  ok: boolean;
  model: string | null;
  image_url: string | null;
  prompt: string | null;
  size: string | null;
  quality: string | null;
  created: number | null;
  content_filter: ContentFilter;
  saved_file: string | null;
  error: ErrorObject | null;
  warnings: string[];
  content_type: string | null;
  bytes: number | null;
  /** The image was already in --out-dir: nothing was asked of the upstream, nothing paid. */
  cached: boolean;
}

export function cliResult(fields: Partial<CliResult>): CliResult {
  return {
    ok: fields.ok ?? false,
    model: fields.model ?? null,
    image_url: fields.image_url ?? null,
    prompt: fields.prompt ?? null,
    size: fields.size ?? null,
    quality: fields.quality ?? null,
    created: fields.created ?? null,
    content_filter: fields.content_filter ?? [],
    saved_file: fields.saved_file ?? null,
    error: fields.error ?? null,
    warnings: fields.warnings ?? [],
    content_type: fields.content_type ?? null,
    bytes: fields.bytes ?? null,
    cached: fields.cached ?? false,
  };
}

/**
 * The one exit-status rule: 0 done; 2 a usage error, found before anything was sent (bad
 * arguments, INVALID_*, MISSING_API_KEY); 130 interrupted (SIGINT/SIGTERM); 1 any other failure.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * Found before anything is sent: a value refused locally (INVALID_*), no credential, or a target
 * that cannot be written (DOWNLOAD_FAILED with reason INVALID_PATH).
 */
const isUsage = (error: ErrorObject & { reason?: string }) =>
  error.code === "MISSING_API_KEY" ||
  error.code.startsWith("INVALID_") ||
  error.reason === "INVALID_PATH";

export function exitStatusOf(error: ErrorObject | null): number {
  if (!error) return EXIT.ok;
  if (error.code === "INTERRUPTED") return EXIT.interrupted;
  return isUsage(error) ? EXIT.usage : EXIT.failed;
}
