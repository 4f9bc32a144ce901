import type { ObjectBucket } from "./ports.ts";
import { guarded } from "./storage-fault.ts";

const PART = "image store";

/**
 * A bucket whose failures (R2 or S3 unreachable, an error status, a disk that refuses a write) are
 * `storage_unavailable`: every route answers 503 with Retry-After, never a bare 500.
 */
export function guardedBucket(bucket: ObjectBucket): ObjectBucket {
  return {
    put: (key, body, options) => guarded(PART, () => bucket.put(key, body, options)),
    get: (key) => guarded(PART, () => bucket.get(key)),
    head: (key) => guarded(PART, () => bucket.head(key)),
    list: (options) => guarded(PART, () => bucket.list(options)),
    delete: (key) => guarded(PART, () => bucket.delete(key)),
  };
}
