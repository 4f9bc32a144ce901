import type { Journal, JournalEntry, ObjectBucket, SpendBudget } from "../ports.ts";

/** The journal as objects in the bucket (`journal/<key>.json`), for one process on Deno. */
export function bucketJournal(bucket: ObjectBucket): Journal {
  const name = (key: string) => `journal/${key}.json`;
  return {
    async get(key) {
      const object = await bucket.get(name(key));
      return object ? ((await new Response(object.body).json()) as JournalEntry) : null;
    },
    async set(key, entry) {
      await bucket.put(name(key), new TextEncoder().encode(JSON.stringify(entry)), {
        contentType: "application/json",
      });
    },
    delete: (key) => bucket.delete(name(key)),
  };
}

/** A daily budget in memory: one process only, forgotten on restart. */
export function memoryBudget(): SpendBudget {
  const used = new Map<string, number>();
  return {
    async take(day, limit) {
      const count = used.get(day) ?? 0;
      if (count >= limit) return false;
      used.set(day, count + 1);
      return true;
    },
    async refund(day) {
      used.set(day, Math.max(0, (used.get(day) ?? 1) - 1));
    },
  };
}
