import type { RateLimiter, SpendBudget } from "../../domain/ports.ts";
import type { Kv, KvKey } from "./kv-types.ts";

/**
 * Adds one to a counter unless it has reached `limit`, atomically across isolates: a read, then a
 * commit that checks the versionstamp it read (retried when another isolate wrote in between).
 */
async function takeOne(kv: Kv, key: KvKey, limit: number, expireIn: number): Promise<boolean> {
  for (;;) {
    const entry = await kv.get<number>(key);
    const used = entry.value ?? 0;
    if (used >= limit) return false;
    const committed = await kv
      .atomic()
      .check({ key, versionstamp: entry.versionstamp })
      .set(key, used + 1, { expireIn })
      .commit();
    if (committed.ok) return true;
  }
}

async function giveOne(kv: Kv, key: KvKey, expireIn: number): Promise<void> {
  for (;;) {
    const entry = await kv.get<number>(key);
    if (!entry.value) return;
    const committed = await kv
      .atomic()
      .check({ key, versionstamp: entry.versionstamp })
      .set(key, entry.value - 1, { expireIn })
      .commit();
    if (committed.ok) return;
  }
}

/** A fixed window per key in Deno KV (`["rate", name, key, window]`), shared by every isolate. */
export function kvRateLimiter(
  kv: Kv,
  name: string,
  limit: number,
  periodMs: number,
  now: () => number = Date.now,
): RateLimiter {
  return {
    limit: (key) =>
      takeOne(kv, ["rate", name, key, Math.floor(now() / periodMs)], limit, periodMs * 2),
  };
}

const TWO_DAYS_MS = 2 * 24 * 60 * 60_000;

/** The daily budget of paid generations in Deno KV (`["budget", day]`), shared by every isolate. */
export function kvBudget(kv: Kv): SpendBudget {
  return {
    take: (day, limit) => takeOne(kv, ["budget", day], limit, TWO_DAYS_MS),
    refund: (day) => giveOne(kv, ["budget", day], TWO_DAYS_MS),
  };
}
