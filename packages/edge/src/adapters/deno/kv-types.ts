/**
 * The few operations of Deno KV that the coordination uses, typed here so that these modules
 * type-check without Deno's global types (the Worker's and Node's tsconfig read them too).
 * `Deno.Kv` has these methods; the end-to-end tests run them against Deno KV itself.
 */
export type KvKey = readonly (string | number)[];

export interface KvEntryMaybe<T> {
  value: T | null;
  versionstamp: string | null;
}

export interface KvAtomic {
  check(...checks: Array<{ key: KvKey; versionstamp: string | null }>): KvAtomic;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomic;
  delete(key: KvKey): KvAtomic;
  commit(): Promise<{ ok: boolean }>;
}

export interface Kv {
  get<T>(key: KvKey): Promise<KvEntryMaybe<T>>;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: KvKey): Promise<void>;
  atomic(): KvAtomic;
}
