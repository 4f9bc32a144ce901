import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import * as z from "zod";

const entrySchema = z.object({
  key: z.string(),
  sha256: z.string(),
  prompt: z.string(),
  model: z.string(),
  size: z.string(),
  quality: z.string(),
  image_url: z.string().nullable(),
});
export type LockEntry = z.infer<typeof entrySchema>;

const lockSchema = z.object({ version: z.literal(1), images: z.record(z.string(), entrySchema) });
export type Lock = z.infer<typeof lockSchema>;

/** Reads the lock file; a missing one is empty, a damaged one an error that says so. */
export async function readLock(path: string): Promise<Lock> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { version: 1, images: {} };
  }
  const result = lockSchema.safeParse(JSON.parse(text));
  if (!result.success) throw new Error(`The lock file ${path} is damaged; delete it to regenerate`);
  return result.data;
}

/** Writes the lock file atomically, entries sorted by path so its diffs stay small. */
export async function writeLock(path: string, lock: Lock): Promise<void> {
  const images = Object.fromEntries(
    Object.entries(lock.images).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version: 1, images }, null, 2)}\n`);
  await rename(temporary, path);
}

/** SHA-256 hex of a file, or undefined when it is not there. */
export async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  } catch {
    return undefined;
  }
}
