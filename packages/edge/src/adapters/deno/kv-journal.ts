import type { Journal, JournalEntry } from "../../domain/ports.ts";
import type { Kv } from "./kv-types.ts";

/** The journal of paid work in Deno KV (`["journal", key]`), shared by every isolate. */
export function kvJournal(kv: Kv): Journal {
  return {
    get: async (key) => (await kv.get<JournalEntry>(["journal", key])).value,
    set: async (key, entry) => void (await kv.set(["journal", key], entry)),
    delete: (key) => kv.delete(["journal", key]),
  };
}
