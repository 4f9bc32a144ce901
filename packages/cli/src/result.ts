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
  };
}
