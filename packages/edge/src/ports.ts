import type { ContentFilter, ErrorObject, GenerationRequest } from "@glm-image/core";

/** What is kept beside each image. */
export interface ImageMetadata {
  prompt: string;
  model: string;
  size: string;
  quality: string;
  /** Unix seconds of the upstream generation. */
  created: number;
  content_type: string;
  bytes: number;
  content_filter: ContentFilter;
}

export interface StoredImage {
  key: string;
  metadata: ImageMetadata;
  /** Present on get, absent on head. */
  body?: ReadableStream<Uint8Array>;
}

/** Where images live: R2 on Workers, files on Deno. Keys are content keys (64 hex). */
export interface ImageStore {
  /** Stores a whole image; `length` lets stores stream it without buffering. */
  put(
    key: string,
    body: ReadableStream<Uint8Array>,
    length: number | undefined,
    metadata: Omit<ImageMetadata, "bytes">,
  ): Promise<ImageMetadata>;
  get(key: string): Promise<StoredImage | null>;
  head(key: string): Promise<StoredImage | null>;
}

export interface GenerationJob {
  key: string;
  request: GenerationRequest;
}

/** The outcome of a job, plain data so that it crosses a Durable Object's RPC boundary. */
export type GenerationOutcome =
  | { ok: true; stored: true; metadata: ImageMetadata }
  | {
      ok: true;
      stored: false;
      upstreamUrl: string;
      metadata: Omit<ImageMetadata, "bytes">;
      warning: string;
    }
  | { ok: false; error: ErrorObject & { retryable?: boolean } };

/**
 * Makes identical work happen once: concurrent jobs with the same key share one generation, and
 * later ones find it stored. A Durable Object per key on Workers, a promise map on Deno.
 */
export interface Coordinator {
  generate(job: GenerationJob): Promise<GenerationOutcome>;
  /** Binds an idempotency key to a content key once; answers the content key bound first. */
  claim(idempotencyKey: string, contentKey: string): Promise<string>;
}

/** Per-token request budget: the Workers rate limiting binding, or a window in memory. */
export interface RateLimiter {
  limit(key: string): Promise<boolean>;
}
