import type {
  Coordinator,
  Journal,
  JournalEntry,
  ObjectBucket,
  SpendBudget,
  TenantUsage,
} from "../../domain/ports.ts";
import { serialQueue } from "../../domain/serial.ts";
import { noUsage, paidTotal, withCachedHit, withPaid } from "../../domain/usage-count.ts";

/**
 * Durable coordination state as small JSON objects in the bucket, for the Deno entry running as one
 * process (not for serverless hosts, where isolates would race: Deno KV is for those). A queue
 * serialises this process's read-modify-writes.
 */
function bucketRecords(bucket: ObjectBucket, prefix: string) {
  const name = (key: string) => `${prefix}/${key}.json`;
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
    serially: serialQueue(),
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

/**
 * The daily budgets as objects: the service's count `budget/<day>.json` and each tenant's usage
 * `usage/<day>/<tenant>.json`, changed one at a time (this process is the only one).
 */
export function bucketBudget(bucket: ObjectBucket): SpendBudget {
  const service = bucketRecords(bucket, "budget");
  const usage = bucketRecords(bucket, "usage");
  const serially = serialQueue();
  const usageOf = async (day: string, tenant: string) =>
    (await usage.read<TenantUsage>(`${day}/${tenant}`)) ?? noUsage();
  return {
    take: (day, { tenant, model }, limits) =>
      serially(async () => {
        const [current, used] = await Promise.all([
          usageOf(day, tenant),
          limits.service === undefined ? 0 : service.read<number>(day).then((count) => count ?? 0),
        ]);
        if (limits.tenant !== undefined && paidTotal(current) >= limits.tenant) return "tenant";
        if (limits.service !== undefined && used >= limits.service) return "service";
        await usage.write(`${day}/${tenant}`, withPaid(current, model, 1));
        if (limits.service !== undefined) await service.write(day, used + 1);
        return "taken";
      }),
    refund: (day, { tenant, model }, limits) =>
      serially(async () => {
        await usage.write(`${day}/${tenant}`, withPaid(await usageOf(day, tenant), model, -1));
        if (limits.service === undefined) return;
        const used = (await service.read<number>(day)) ?? 0;
        if (used > 0) await service.write(day, used - 1);
      }),
    countCached: (day, tenant) =>
      serially(async () =>
        usage.write(`${day}/${tenant}`, withCachedHit(await usageOf(day, tenant))),
      ),
    usage: (day, tenants) => Promise.all(tenants.map((tenant) => usageOf(day, tenant))),
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
