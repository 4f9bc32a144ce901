import { type Journal, type ListedEntry, removeStalePart } from "@glm-image/node";
import { type Options, UsageError } from "./options.ts";
import type { Output } from "./report.ts";
import { EXIT } from "./result.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** One entry as a JSON line: what was asked for, where it stands, what it holds. */
function describeEntry(listed: ListedEntry) {
  if ("damaged" in listed) {
    return { key: listed.key, state: "damaged", file: listed.file, error: listed.damaged };
  }
  const { entry } = listed;
  return {
    key: entry.key,
    state: entry.state,
    ...entry.request,
    ...(entry.state === "submitted" ? { task_id: entry.task_id } : {}),
    ...(entry.state === "paid" ? { image_url: entry.url, created: entry.created } : {}),
    target: entry.target ?? null,
    since: iso(entry.since),
    updated: iso(entry.updated),
    pid: entry.pid,
    host: entry.host,
    last_error: entry.last_error ?? null,
    file: listed.file,
  };
}

/** The entries a `clear KEY` names: the whole key, or a prefix of one (6 characters or more). */
function chosen(entries: ListedEntry[], key: string | undefined): ListedEntry[] {
  if (key === undefined) return entries;
  if (!/^[0-9a-f]{6,64}$/.test(key)) {
    throw new UsageError(`journal clear takes a content key (6 to 64 hex characters), not ${key}`);
  }
  const matches = entries.filter((listed) => listed.key.startsWith(key));
  if (matches.length === 0) throw new UsageError(`no journal entry has the key ${key}`);
  if (matches.length > 1) {
    throw new UsageError(
      `${key} starts ${matches.length} keys (${matches.map((listed) => listed.key.slice(0, 12)).join(", ")}); give more of it`,
    );
  }
  return matches;
}

/**
 * `glm-image journal`: the paid work the CLI keeps (one JSON line per entry), and
 * `glm-image journal clear [KEY]`, which gives up one entry or all of them (and the temporary file
 * its stopped process left): the next command for that image then pays for it again.
 */
export async function journalCommand(
  options: Options,
  journal: Journal,
  output: Output,
): Promise<number> {
  const entries = await journal.list();
  if (options.journalAction !== "clear") {
    for (const listed of entries) output.stdout.write(`${JSON.stringify(describeEntry(listed))}\n`);
    return EXIT.ok;
  }
  const cleared = chosen(entries, options.journalKey);
  for (const listed of cleared) {
    if ("entry" in listed) await removeStalePart(listed.entry);
    await journal.remove(listed.key);
    if ("entry" in listed && listed.entry.state !== "pending" && !options.quiet) {
      output.stderr.write(
        `glm-image: warning: cleared ${listed.key}, whose image was paid for; generating it again pays again\n`,
      );
    }
  }
  output.stdout.write(
    `${JSON.stringify({ ok: true, cleared: cleared.map((listed) => listed.key), journal: journal.folder })}\n`,
  );
  return EXIT.ok;
}
