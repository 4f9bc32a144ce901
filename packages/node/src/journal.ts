import { randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { contentFilterSchema } from "@glm-image/core";
import * as z from "zod";

const keySchema = z.string().regex(/^[0-9a-f]{64}$/, "a content key is 64 hex characters");

/** What every entry holds: whose paid work it is, and what was asked for (for people to read). */
const common = {
  key: keySchema,
  /** A random id of this paid attempt: a process removes only the entry it wrote. */
  attempt: z.string(),
  /** Unix ms when the entry was first written, and when it last changed. */
  since: z.number(),
  updated: z.number(),
  /** The process that wrote it: a `pending` entry of a live process is work in progress. */
  pid: z.number().int(),
  host: z.string(),
  request: z.object({
    prompt: z.string(),
    model: z.string(),
    size: z.string(),
    quality: z.string(),
    watermark_enabled: z.boolean(),
  }),
  /** Where the image was being written, when it was, and its temporary file there. */
  target: z.string().optional(),
  part: z.string().optional(),
  /** What went wrong last, for a person reading the journal. */
  last_error: z.string().optional(),
};

/**
 * One entry per content key, through the states of paid work:
 * `pending` (written before the upstream call), `submitted` (the async API accepted it: its task
 * id), `paid` (the image URL, which lives 30 days). The entry goes once the image is delivered.
 */
export const journalEntrySchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("pending"), ...common }),
  z.object({ state: z.literal("submitted"), ...common, task_id: z.string().min(1) }),
  z.object({
    state: z.literal("paid"),
    ...common,
    url: z.string().min(1),
    created: z.number(),
    content_filter: contentFilterSchema,
  }),
]);
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** An entry as listed: the file it is in, and the entry or why it cannot be read. */
export type ListedEntry =
  | { file: string; key: string; entry: JournalEntry }
  | { file: string; key: string; damaged: string };

/**
 * The journal of paid work in a folder, one file per content key (`<key>.json`), so concurrent
 * writers in one process or in several never share a file. Every write is whole: a temporary file
 * beside the entry, written (and flushed to the disk, but for `paid`), then renamed over it (or
 * linked into place when claiming, which fails if the entry is there). A reader sees the old
 * entry or the new one, never half of one.
 */
export interface Journal {
  readonly folder: string;
  /** The entry's file. */
  fileOf(key: string): string;
  /** The entry of a key; undefined when there is none. A damaged entry is an error naming it. */
  read(key: string): Promise<JournalEntry | undefined>;
  /** Writes the entry only if the key has none (across processes); false when one is there. */
  claim(entry: JournalEntry): Promise<boolean>;
  /** Replaces the key's entry. */
  update(entry: JournalEntry): Promise<void>;
  /** Removes the key's entry; with `attempt`, only if the entry is still that attempt's. */
  remove(key: string, attempt?: string): Promise<void>;
  /** Every entry, sorted by key; damaged ones are listed with what is wrong. */
  list(): Promise<ListedEntry[]>;
}

const ENTRY = /^([0-9a-f]{64})\.json$/;

export function openJournal(folder: string): Journal {
  const fileOf = (key: string) => join(folder, `${keySchema.parse(key)}.json`);

  /** A whole copy of the entry in a temporary file of the folder (made private on first use). */
  const writeTemporary = async (entry: JournalEntry): Promise<string> => {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temporary = join(
      folder,
      `.${entry.key}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(entry, null, 2)}\n`);
      // What decides whether to pay (pending, submitted) is flushed before it is relied on; a
      // paid entry lost to a power cut leaves the one before it, which costs nothing more.
      if (entry.state !== "paid") await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  };

  const parse = (file: string, text: string): JournalEntry => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw damaged(file, `not valid JSON: ${(error as Error).message}`);
    }
    const result = journalEntrySchema.safeParse(data);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw damaged(file, issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "");
    }
    return result.data;
  };

  const read = async (key: string) => {
    const file = fileOf(key);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`Cannot read the journal entry ${file}: ${(error as Error).message}`);
    }
    return parse(file, text);
  };

  return {
    folder,
    fileOf,
    read,
    async claim(entry) {
      const temporary = await writeTemporary(entry);
      const file = fileOf(entry.key);
      try {
        await link(temporary, file);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") return false;
        if (!NO_HARD_LINKS.has(code ?? "")) throw error;
        // A file system without hard links: claim by creating the entry exclusively.
        return claimByCreating(file, temporary);
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async update(entry) {
      const temporary = await writeTemporary(entry);
      try {
        await rename(temporary, fileOf(entry.key));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async remove(key, attempt) {
      if (attempt !== undefined) {
        const entry = await read(key).catch(() => undefined);
        if (entry?.attempt !== attempt) return;
      }
      await rm(fileOf(key), { force: true });
    },
    async list() {
      const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [] as string[];
        throw error;
      });
      const listed: ListedEntry[] = [];
      for (const name of names.sort()) {
        const key = ENTRY.exec(name)?.[1];
        if (key === undefined) continue;
        const file = join(folder, name);
        try {
          const entry = parse(file, await readFile(file, "utf8"));
          listed.push({ file, key, entry });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
          listed.push({ file, key, damaged: (error as Error).message });
        }
      }
      return listed;
    },
  };
}

/** What link(2) answers on file systems that have no hard links (FAT, some network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

async function claimByCreating(file: string, temporary: string): Promise<boolean> {
  const text = await readFile(temporary);
  const handle = await open(file, "wx", 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") return undefined;
    throw error;
  });
  if (!handle) return false;
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

function damaged(file: string, detail: string): Error {
  return new Error(
    `The journal entry ${file} is damaged (${detail}): it recorded paid work that can no longer be resumed; delete it to generate that image afresh`,
  );
}

/** A fresh id for a paid attempt. */
export const newAttempt = () => randomBytes(8).toString("hex");
