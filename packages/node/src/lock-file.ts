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

/**
 * Reads the lock file; a missing one is empty. A damaged one is an error that names the file and
 * says what to do: the lock is what saves paying again, so it is never silently dropped.
 */
export async function readLock(path: string): Promise<Lock> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, images: {} };
    throw new Error(`Cannot read the lock file ${path}: ${(error as Error).message}`);
  }
  const remedy =
    `restore it from git (git checkout -- ${path}), or delete it to start afresh ` +
    "(the next run then generates, and pays for, every image again)";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The lock file ${path} is damaged (not valid JSON: ${(error as Error).message}): ${remedy}`,
    );
  }
  const result = lockSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `The lock file ${path} is damaged (${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "unexpected shape"}): ${remedy}`,
    );
  }
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
