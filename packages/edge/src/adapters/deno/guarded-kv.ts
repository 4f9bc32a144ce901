import { guarded } from "../../domain/storage-fault.ts";
import type { Kv, KvAtomic } from "./kv-types.ts";

const PART = "coordination store (Deno KV)";

/** Deno KV whose failures are `storage_unavailable` (503 with Retry-After), never a bare 500. */
export function guardedKv(kv: Kv): Kv {
  const guardAtomic = (atomic: KvAtomic): KvAtomic => ({
    check: (...checks) => guardAtomic(atomic.check(...checks)),
    set: (key, value, options) => guardAtomic(atomic.set(key, value, options)),
    delete: (key) => guardAtomic(atomic.delete(key)),
    commit: () => guarded(PART, () => atomic.commit()),
  });
  return {
    get: (key) => guarded(PART, () => kv.get(key)),
    set: (key, value, options) => guarded(PART, () => kv.set(key, value, options)),
    delete: (key) => guarded(PART, () => kv.delete(key)),
    atomic: () => guardAtomic(kv.atomic()),
  };
}
