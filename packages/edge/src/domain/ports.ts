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

/** What taking a tenant's name off an image did. */
export type Release =
  /** No such image, or none of the tenant's. */
  | { removed: "nothing" }
  /** The tenant's ownership: other owners keep the image. */
  | { removed: "ownership" }
  /** The image: no owner was left, or an admin deleted it (bytes, metadata, index entries). */
  | { removed: "image"; metadata: ImageMetadata };

/**
 * Where images live. Keys are content keys (64 hex). One implementation of the layout
 * (`domain/image-store.ts`) over an ObjectBucket: R2 on Workers, S3 or files on Deno. The store is
 * shared: an image that one tenant paid for is served to another, who then owns it too.
 * Ownership changes of one key (`addOwner`, `release`) must not run concurrently: the key's
 * Coordinator runs them one at a time.
 */
export interface ImageStore {
  /** Stores a whole image, owned by `owners`; `length` lets stores stream it without buffering. */
  put(
    key: string,
    body: ReadableStream<Uint8Array>,
    length: number | undefined,
    metadata: Omit<ImageMetadata, "bytes" | "stored_at" | "owners">,
    owners: readonly string[],
  ): Promise<ImageMetadata>;
  /** The bytes to serve (GET), or only their type and length (HEAD: `withBody` false). */
  read(key: string, withBody: boolean): Promise<ImageBytes | null>;
  /** The metadata of a stored image. */
  metadata(key: string): Promise<ImageMetadata | null>;
  /** Stored images, newest first: every one, or those of one owner (newest ownership first). */
  list(options: { cursor?: string; limit: number; owner?: string }): Promise<ImagePage>;
  /** Makes `tenant` an owner of a stored image; null when there is none. */
  addOwner(key: string, tenant: string): Promise<ImageMetadata | null>;
  /**
   * Takes `tenant` off the image's owners, and removes the image when no owner is left; without a
   * tenant (an admin), removes the image whoever owns it.
   */
  release(key: string, tenant?: string): Promise<Release>;
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
  /** The tenant that asks: its budget pays for new work, and it owns the image. */
  tenant: string;
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
 * `tenant` is the one whose budget paid (absent on entries written before tenants): it owns the
 * image once stored, whoever's request stores it.
 */
export type JournalEntry =
  | { state: "pending"; since: number; failure?: string; request_id?: string; tenant?: string }
  | { state: "submitted"; since: number; task_id: string; tenant?: string }
  | {
      state: "paid";
      since: number;
      tenant?: string;
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

/** Who pays for one new generation, and what it is. */
export interface Charge {
  tenant: string;
  model: string;
}

/** The budgets a charge is taken from; an undefined limit is no cap. */
export interface BudgetLimits {
  /** MAX_GENERATIONS_PER_DAY: the whole service's. */
  service: number | undefined;
  /** The tenant's own, or TENANT_GENERATIONS_PER_DAY. */
  tenant: number | undefined;
}

/** What one tenant used on one UTC day. */
export interface TenantUsage {
  /** New (paid) generations, by model. */
  paid: Record<string, number>;
  /** Images it got without paying: from the store, or from a generation under way. */
  cached: number;
}

/**
 * The daily budgets of paid generations, the service's (MAX_GENERATIONS_PER_DAY) and each
 * tenant's, and each tenant's usage: Durable Objects (one per budget) on Workers, Deno KV, or
 * objects in the bucket. A tenant's paid generations are counted whether or not it has a limit.
 */
export interface SpendBudget {
  /**
   * Takes one generation from today's (UTC) budgets of the tenant and of the service, from both or
   * from neither; answers which one is spent when one is.
   */
  take(day: string, charge: Charge, limits: BudgetLimits): Promise<"taken" | "tenant" | "service">;
  /** Gives it back to both: the upstream provably refused, nothing was paid. */
  refund(day: string, charge: Charge, limits: BudgetLimits): Promise<void>;
  /** Counts an image that `tenant` got without paying. */
  countCached(day: string, tenant: string): Promise<void>;
  /** The usage of each tenant named, in that order. */
  usage(day: string, tenants: readonly string[]): Promise<TenantUsage[]>;
}

/** An error as plain data, so that it crosses a Durable Object's RPC boundary. */
export type OutcomeError = ErrorObject & {
  retryable?: boolean;
  /** Seconds the caller should wait (Retry-After). */
  retry_after?: number;
};

/** The outcome of a job, plain data so that it crosses a Durable Object's RPC boundary. */
export type GenerationOutcome =
  /** `paid`: this job paid for the image now (a joiner or a stored image: absent). */
  | { ok: true; stored: true; metadata: ImageMetadata; paid?: boolean }
  | {
      ok: true;
      stored: false;
      upstreamUrl: string;
      metadata: Omit<ImageMetadata, "bytes" | "stored_at" | "owners">;
      warning: string;
      /** Seconds until the next download attempt is due. */
      retryAfter: number;
    }
  | { ok: false; error: OutcomeError };

/**
 * Makes identical work happen once: concurrent jobs with the same key share one generation, and
 * later ones resume from the journal or find the image stored. A Durable Object per key on
 * Workers; Deno KV leases (or a promise map in one process) on Deno. The same holder runs the
 * key's ownership changes, one at a time and never during its generation.
 */
export interface Coordinator {
  /**
   * Generates (or finds) the image; the job's tenant owns it when this job stores it. A job that
   * joined another's generation answers that outcome without `paid`.
   */
  generate(job: GenerationJob): Promise<GenerationOutcome>;
  /** Binds an idempotency key to a request's digest once; answers the digest bound first. */
  claim(idempotencyKey: string, digest: string): Promise<string>;
  /** Makes `tenant` an owner of the stored image (ImageStore.addOwner); null when there is none. */
  own(key: string, tenant: string): Promise<ImageMetadata | null>;
  /**
   * ImageStore.release, and the key's journal entry goes with the image
   * (DELETE /v1/images/{key}).
   */
  release(key: string, tenant?: string): Promise<Release>;
  /**
   * Forgets a key's journal entry, when it is `tenant`'s (any, for none: an admin); true when there
   * was one (DELETE /v1/images/{key} of a paid call that may have been charged, with no image).
   */
  forget(key: string, tenant?: string): Promise<boolean>;
}

/** A request budget per key: the Workers rate limiting binding, a window in memory, or Deno KV. */
export interface RateLimiter {
  limit(key: string): Promise<boolean>;
}
