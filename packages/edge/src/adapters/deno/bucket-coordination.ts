import type {
  Coordinator,
  Journal,
  JournalEntry,
  ObjectBucket,
  SpendBudget,
} from "../../domain/ports.ts";

/**
 * Durable coordination state as small JSON objects in the bucket, for the Deno entry running as one
 * process (not for serverless hosts, where isolates would race: Deno KV is for those). A promise
 * chain serialises this process's read-modify-writes.
 */
function bucketRecords(bucket: ObjectBucket, prefix: string) {
  const name = (key: string) => `${prefix}/${key}.json`;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    async read<T>(key: string): Promise<T | null> {
      const object = await bucket.get(name(key));
      return object ? ((await new Response(object.body).json()) as T) : null;
    },
    async write(key: string, value: unknown): Promise<void> {
      await bucket.put(name(key), new TextEncoder().encode(JSON.stringify(value)), {
        contentType: "application/json",
      });
    },
    remove: (key: string) => bucket.delete(name(key)),
    /** Runs one read-modify-write at a time. */
    serially<T>(work: () => Promise<T>): Promise<T> {
      const next = chain.then(work, work);
      chain = next.catch(() => {});
      return next;
    },
  };
}

/** The journal as `journal/<key>.json` objects. */
export function bucketJournal(bucket: ObjectBucket): Journal {
  const records = bucketRecords(bucket, "journal");
  return {
    get: (key) => records.read<JournalEntry>(key),
    set: (key, entry) => records.write(key, entry),
    delete: (key) => records.remove(key),
  };
}

/** The daily budget as `budget/<day>.json` counters. */
export function bucketBudget(bucket: ObjectBucket): SpendBudget {
  const records = bucketRecords(bucket, "budget");
  return {
    take: (day, limit) =>
      records.serially(async () => {
        const used = (await records.read<number>(day)) ?? 0;
        if (used >= limit) return false;
        await records.write(day, used + 1);
        return true;
      }),
    refund: (day) =>
      records.serially(async () => {
        const used = (await records.read<number>(day)) ?? 0;
        if (used > 0) await records.write(day, used - 1);
      }),
  };
}

/**
 * Idempotency bindings, each to a request's digest, as `idempotency-request/<sha-256 of the
 * key>.json`: they outlive a restart.
 */
export function bucketClaims(bucket: ObjectBucket): Coordinator["claim"] {
  const records = bucketRecords(bucket, "idempotency-request");
  return async (idempotencyKey, requestDigest) => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(idempotencyKey));
    const name = Array.from(new Uint8Array(digest), (byte) =>
      byte.toString(16).padStart(2, "0"),
    ).join("");
    return records.serially(async () => {
      const bound = await records.read<string>(name);
      if (bound) return bound;
      await records.write(name, requestDigest);
      return requestDigest;
    });
  };
}
