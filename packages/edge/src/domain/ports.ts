import type { ContentFilter, ErrorObject, GenerationRequest } from "@glm-image/core";
import type { ImageMetadata } from "./metadata.ts";

export type { ImageMetadata } from "./metadata.ts";

/** The bytes of a stored image, as served: what the public route needs and nothing more. */
export interface ImageBytes {
  key: string;
  contentType: string;
  bytes: number;
  /** Absent on HEAD. */
  body?: ReadableStream<Uint8Array>;
}

export interface ImagePage {
  images: Array<{ key: string; metadata: ImageMetadata }>;
  /** Pass back to read the next page; absent on the last one. */
  cursor?: string;
}

/**
 * Where images live. Keys are content keys (64 hex). One implementation of the layout
 * (`storage/image-store.ts`) over an ObjectBucket: R2 on Workers, S3 or files on Deno.
 */
export interface ImageStore {
  /** Stores a whole image; `length` lets stores stream it without buffering. */
  put(
    key: string,
    body: ReadableStream<Uint8Array>,
    length: number | undefined,
    metadata: Omit<ImageMetadata, "bytes" | "stored_at">,
  ): Promise<ImageMetadata>;
  /** The bytes to serve (GET), or only their type and length (HEAD: `withBody` false). */
  read(key: string, withBody: boolean): Promise<ImageBytes | null>;
  /** The metadata of a stored image. */
  metadata(key: string): Promise<ImageMetadata | null>;
  /** Stored images, newest first. */
  list(options: { cursor?: string; limit: number }): Promise<ImagePage>;
  /** Removes an image; nothing happens when there is none. */
  delete(key: string): Promise<void>;
}

/** An object as a bucket describes it. */
export interface BucketObject {
  size: number;
  contentType: string | undefined;
}

/**
 * The few operations of an object store that the image layout needs, with R2's meaning: a put is
 * atomic (an object is whole or absent), a list is in key order. R2 binding, S3 API, or files.
 */
export interface ObjectBucket {
  put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: { length?: number | undefined; contentType: string },
  ): Promise<BucketObject>;
  get(key: string): Promise<(BucketObject & { body: ReadableStream<Uint8Array> }) | null>;
  head(key: string): Promise<BucketObject | null>;
  list(options: {
    prefix: string;
    cursor?: string | undefined;
    limit: number;
  }): Promise<{ keys: string[]; cursor?: string }>;
  delete(key: string): Promise<void>;
}

export interface GenerationJob {
  key: string;
  request: GenerationRequest;
  /** Who asked, on public routes (/render): new paid work counts against their rate limit. */
  client?: string;
}

/**
 * The journal of paid work for one content key, written by the one holder of that key's single
 * flight before and after every upstream call:
 * - `pending`: an upstream call is about to be made (sync API), or a task is being submitted.
 *   Found later (its holder died) or kept with a `failure` (the contract code of an answer lost
 *   after the upstream may have accepted the call, and its `request_id` when readable), it may
 *   have been charged: it is never sent again automatically, only cleared by a DELETE;
 * - `submitted`: the async task was accepted; its result is paid for once it succeeds;
 * - `paid`: the upstream delivered an image at `url` (valid 30 days) that is not stored yet;
 *   `attempts` downloads failed so far, the next is due at `retry_at` (Unix ms);
 * - `given_up`: the task submitted at `since` was still running TASK_GIVE_UP_SECONDS later. It may
 *   have been charged, so it is kept (never submitted again, the budget not given back) and every
 *   later request for the key answers an error.
 * The entry is deleted once the image is stored, or when the upstream refused (nothing paid).
 */
export type JournalEntry =
  | { state: "pending"; since: number; failure?: string; request_id?: string }
  | { state: "submitted"; since: number; task_id: string }
  | {
      state: "paid";
      since: number;
      url: string;
      created: number;
      content_filter: ContentFilter;
      attempts: number;
      retry_at: number;
      last_error?: string;
    }
  | { state: "given_up"; since: number; task_id: string; given_up_at: number };

/** Durable journal storage: Durable Object storage, Deno KV, or objects in the bucket. */
export interface Journal {
  get(key: string): Promise<JournalEntry | null>;
  set(key: string, entry: JournalEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The service-wide daily budget of paid generations (MAX_GENERATIONS_PER_DAY). */
export interface SpendBudget {
  /** Takes one generation from today's (UTC) budget; false when it is spent. */
  take(day: string, limit: number): Promise<boolean>;
  /** Gives one back: the upstream refused, nothing was paid. */
  refund(day: string): Promise<void>;
}

/** An error as plain data, so that it crosses a Durable Object's RPC boundary. */
export type OutcomeError = ErrorObject & {
  retryable?: boolean;
  /** Seconds the caller should wait (Retry-After). */
  retry_after?: number;
};

/** The outcome of a job, plain data so that it crosses a Durable Object's RPC boundary. */
export type GenerationOutcome =
  | { ok: true; stored: true; metadata: ImageMetadata }
  | {
      ok: true;
      stored: false;
      upstreamUrl: string;
      metadata: Omit<ImageMetadata, "bytes" | "stored_at">;
      warning: string;
      /** Seconds until the next download attempt is due. */
      retryAfter: number;
    }
  | { ok: false; error: OutcomeError };

/**
 * Makes identical work happen once: concurrent jobs with the same key share one generation, and
 * later ones resume from the journal or find the image stored. A Durable Object per key on
 * Workers; Deno KV leases (or a promise map in one process) on Deno.
 */
export interface Coordinator {
  generate(job: GenerationJob): Promise<GenerationOutcome>;
  /** Binds an idempotency key to a request's digest once; answers the digest bound first. */
  claim(idempotencyKey: string, digest: string): Promise<string>;
  /** Forgets a key's journal entry (DELETE /v1/images/{key}); true when there was one. */
  forget(key: string): Promise<boolean>;
}

/** A request budget per key: the Workers rate limiting binding, a window in memory, or Deno KV. */
export interface RateLimiter {
  limit(key: string): Promise<boolean>;
}
