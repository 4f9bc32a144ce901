import type { Journal } from "./ports.ts";

/**
 * Forgets a key's journal entry when it is `tenant`'s (any entry when `tenant` is undefined: an
 * admin; entries from before tenants belong to the admins); true when it did, so that a DELETE
 * of it answers 200, not 404.
 */
export async function forgetEntry(
  journal: Journal,
  key: string,
  tenant?: string,
): Promise<boolean> {
  const entry = await journal.get(key);
  if (entry === null) return false;
  if (tenant !== undefined && (!("tenant" in entry) || entry.tenant !== tenant)) return false;
  await journal.delete(key);
  return true;
}
