import type { Kv } from "./kv-types.ts";

/** Who holds a content key's single flight, and until when (Unix ms) unless renewed. */
export interface Lease {
  holder: string;
  expires_at: number;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal: how long a crashed holder blocks its key. */
  ttlMs: number;
  now?: () => number;
}

export const leaseKey = (key: string) => ["lease", key] as const;

/** Writes `holder`'s lease unless the entry changed since `versionstamp` was read. */
async function writeLease(
  kv: Kv,
  key: string,
  versionstamp: string | null,
  holder: string,
  { ttlMs, now = Date.now }: LeaseOptions,
): Promise<boolean> {
  const committed = await kv
    .atomic()
    .check({ key: leaseKey(key), versionstamp })
    .set(leaseKey(key), { holder, expires_at: now() + ttlMs } satisfies Lease, {
      expireIn: ttlMs * 2,
    })
    .commit();
  return committed.ok;
}

/**
 * Claims `key` for `holder` when no one holds it or the holder's lease has expired: one atomic
 * commit that checks the versionstamp it read, so of isolates racing for a key exactly one wins.
 * Answers null when taken, or the lease that holds the key now.
 */
export async function claimLease(
  kv: Kv,
  key: string,
  holder: string,
  { ttlMs, now = Date.now }: LeaseOptions,
): Promise<Lease | null> {
  for (;;) {
    const current = await kv.get<Lease>(leaseKey(key));
    if (current.value && current.value.expires_at > now()) return current.value;
    if (await writeLease(kv, key, current.versionstamp, holder, { ttlMs, now })) return null;
  }
}

/**
 * Extends `holder`'s lease on `key`; false when it is not theirs any more (it expired and another
 * isolate took the key over).
 */
export async function renewLease(
  kv: Kv,
  key: string,
  holder: string,
  { ttlMs, now = Date.now }: LeaseOptions,
): Promise<boolean> {
  const current = await kv.get<Lease>(leaseKey(key));
  if (current.value?.holder !== holder) return false;
  return writeLease(kv, key, current.versionstamp, holder, { ttlMs, now });
}

/** Reads the lease on `key`, or null when it is free (absent or expired). */
export async function currentLease(
  kv: Kv,
  key: string,
  now: () => number = Date.now,
): Promise<Lease | null> {
  const current = await kv.get<Lease>(leaseKey(key));
  return current.value && current.value.expires_at > now() ? current.value : null;
}
