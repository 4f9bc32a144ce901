import { downloadImage, GlmImageError, generateImage } from "@glm-image/core";
import type { EdgeConfig } from "./config.ts";
import type { GenerationJob, GenerationOutcome, ImageStore } from "./ports.ts";

export const STORE_ATTEMPTS = 3;

export interface GenerationDeps {
  store: ImageStore;
  config: EdgeConfig;
  fetch?: typeof fetch;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * The one place an image is made: served from the store if it is there; otherwise generated
 * upstream (paid), downloaded and stored, and only then reported. If storing keeps failing, the
 * outcome still carries the upstream URL, so a paid image is never silently lost.
 */
export async function generateAndStore(
  job: GenerationJob,
  deps: GenerationDeps,
): Promise<GenerationOutcome> {
  const existing = await deps.store.head(job.key);
  if (existing) return { ok: true, stored: true, metadata: existing.metadata };
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  let result: Awaited<ReturnType<typeof generateImage>>;
  try {
    result = await generateImage(job.request, {
      apiKey: deps.config.ZHIPU_API_KEY,
      baseUrl: deps.config.ZHIPU_BASE_URL,
      ...fetchOption,
    });
  } catch (error) {
    return failure(error);
  }
  deps.log?.({ level: "info", message: "generated", key: job.key, model: job.request.model });
  const { request } = job;
  let lastError: unknown;
  for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
    try {
      const image = await downloadImage(result.url, fetchOption);
      const metadata = await deps.store.put(job.key, image.body, image.contentLength, {
        prompt: request.prompt,
        model: request.model,
        size: request.size,
        quality: request.quality,
        created: result.created,
        content_type: image.contentType,
        content_filter: result.contentFilter,
      });
      return { ok: true, stored: true, metadata };
    } catch (error) {
      lastError = error;
      deps.log?.({
        level: "warn",
        message: "store failed",
        key: job.key,
        attempt,
        error: describe(error),
      });
    }
  }
  return {
    ok: true,
    stored: false,
    upstreamUrl: result.url,
    warning: `The image was generated but could not be stored (${describe(lastError)}); its upstream URL expires in 30 days`,
    metadata: {
      prompt: request.prompt,
      model: request.model,
      size: request.size,
      quality: request.quality,
      created: result.created,
      content_type: "application/octet-stream",
      content_filter: result.contentFilter,
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(error: unknown): GenerationOutcome {
  if (error instanceof GlmImageError)
    return { ok: false, error: { ...error.toJSON(), retryable: error.retryable } };
  return { ok: false, error: { code: "upstream_error", message: describe(error) } };
}

/** Turns an outcome's error back into the GlmImageError it was. */
export function outcomeError(outcome: Extract<GenerationOutcome, { ok: false }>): GlmImageError {
  const { code, message, status, upstream_code, retryable } = outcome.error;
  return new GlmImageError(code, message, {
    ...(status === undefined ? {} : { status }),
    ...(upstream_code === undefined ? {} : { upstreamCode: upstream_code }),
    ...(retryable === undefined ? {} : { retryable }),
  });
}
