import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The paid calls a mock received (generation POSTs and async submits; polls are free). */
export const paidCalls = <Request extends { method: string }>(mock: {
  readonly requests: readonly Request[];
}): Request[] => mock.requests.filter((request) => request.method === "POST");

/** The entries of a journal folder as written (a folder that does not exist yet holds none). */
export async function journalEntries(folder: string): Promise<Array<Record<string, unknown>>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const entries = [];
  for (const name of names.filter((name) => name.endsWith(".json"))) {
    // An entry removed between the listing and the read is simply gone.
    const text = await readFile(join(folder, name), "utf8").catch(() => "");
    if (text) entries.push(JSON.parse(text) as Record<string, unknown>);
  }
  return entries;
}

/** Every temporary `.part` file under a folder: what a stopped process may leave behind. */
export async function partFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true }).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(".part"));
}
