import type { Journal } from "./ports.ts";

/** Forgets a key's journal entry; true when there was one (a DELETE of it answers 200, not 404). */
export async function forgetEntry(journal: Journal, key: string): Promise<boolean> {
  const found = (await journal.get(key)) !== null;
  await journal.delete(key);
  return found;
}
