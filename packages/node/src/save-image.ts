import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { GlmImageError, isGlmImageError } from "@glm-image/core";
import { ReasonedError } from "./reason-error.ts";

/** An absolute path; `~/` means the home folder, as in the seed's examples. */
export function resolvePath(path: string, cwd: string): string {
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return resolve(cwd, path);
}

export interface SavedImage {
  /** Where the bytes went. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * A place an image will be written, checked before anything is paid for. A regular file (or a
 * path that does not exist yet) is written atomically: a temporary file beside it, already
 * created, flushed and renamed over the target only when every byte arrived. Anything else that
 * exists and is not a folder (a device such as /dev/null, a FIFO) is written in place and never
 * replaced.
 */
export interface ImageTarget {
  readonly path: string;
  readonly kind: "file" | "in-place";
  /** A file target's temporary file (`.<name>.<random>.part` beside it), until it is renamed. */
  readonly temporary?: string;
  /**
   * Streams the body into the target (`finalPath`, for a file target, when the name is known
   * only now, e.g. from the image's real type). Failures are DOWNLOAD_FAILED; the temporary file
   * is gone after any failure.
   */
  write(body: ReadableStream<Uint8Array>, finalPath?: string): Promise<SavedImage>;
  /** Removes the temporary file; for when the image never comes (failure, interruption). */
  discard(): Promise<void>;
}

/** Why a target cannot be written, before it is said whole (see prepareTarget). */
class Unwritable extends Error {}
const unwritable = (detail: string, cause?: unknown) =>
  new Unwritable(detail, cause === undefined ? undefined : { cause });

const reasonOf = (error: unknown) =>
  (error as NodeJS.ErrnoException)?.code ??
  (error instanceof Error ? error.message : String(error));

/**
 * Checks that `path` can take an image and prepares it, before paying: the folders are made,
 * the temporary file is created. Otherwise throws DOWNLOAD_FAILED, as the seed's CLI answers a
 * path it cannot write, with `reason: INVALID_PATH` and a message naming the path and why.
 */
export async function prepareTarget(path: string): Promise<ImageTarget> {
  try {
    return await prepare(path);
  } catch (error) {
    if (!(error instanceof Unwritable)) throw error;
    throw new ReasonedError(
      "DOWNLOAD_FAILED",
      "INVALID_PATH",
      `Cannot save the image to ${path}: ${error.message}; nothing was generated or paid for`,
      error.cause === undefined ? {} : { cause: error.cause },
    );
  }
}

async function prepare(path: string): Promise<ImageTarget> {
  const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw unwritable(reasonOf(error), error);
  });
  if (existing?.isDirectory()) {
    throw unwritable(`it is a folder; name a file in it (or use --out-dir ${path})`);
  }
  if (existing && !existing.isFile()) {
    await access(path, constants.W_OK).catch((error) => {
      throw unwritable(reasonOf(error), error);
    });
    return inPlaceTarget(path);
  }
  const folder = dirname(path);
  await makeFolder(folder);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.part`);
  const handle = await open(temporary, "wx").catch((error) => {
    throw unwritable(reasonOf(error), error);
  });
  return fileTarget(path, temporary, handle);
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for a path under a
 * folder that refuses new entries with ENOENT (such as /proc).
 */
async function makeFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw unwritable(`cannot use the folder ${folder} (${reasonOf(error)})`, error);
  });
  if (info?.isDirectory()) return;
  if (info) throw unwritable(`cannot make the folder ${folder}: a file is in the way`);
  const parent = dirname(folder);
  if (parent !== folder) await makeFolder(parent);
  await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") return;
    throw unwritable(`cannot make the folder ${folder} (${reasonOf(error)})`, error);
  });
}

function fileTarget(path: string, temporary: string, handle: FileHandle): ImageTarget {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => {});
  };
  const discard = async () => {
    await close();
    await rm(temporary, { force: true }).catch(() => {});
  };
  return {
    path,
    kind: "file",
    temporary,
    discard,
    async write(body, finalPath = path) {
      try {
        const written = await streamInto(handle, body);
        await handle.sync();
        await close();
        await rename(temporary, finalPath);
        return { path: finalPath, ...written };
      } catch (error) {
        await discard();
        throw asWriteFailure(error, finalPath);
      }
    },
  };
}

function inPlaceTarget(path: string): ImageTarget {
  return {
    path,
    kind: "in-place",
    async discard() {},
    async write(body) {
      let handle: FileHandle | undefined;
      try {
        handle = await open(path, "w");
        return { path, ...(await streamInto(handle, body)) };
      } catch (error) {
        throw asWriteFailure(error, path);
      } finally {
        await handle?.close().catch(() => {});
      }
    },
  };
}

/**
 * Spent download chunks live outside V8's heap and are freed only when a collection runs, which
 * a streamed download hardly ever triggers by itself: a 40 MiB image then held ~28 MiB of dead
 * chunks. When the host exposes `gc` (the CLI's bin runs node with --expose-gc), collect every
 * few MiB so that memory stays flat whatever the image size (`npm run bench`, figure 2).
 */
const COLLECT_EVERY_BYTES = 1 * 1024 * 1024;
const collect = (globalThis as { gc?: () => void }).gc;

/** Writes each chunk as it comes, hashing it; nothing is held beyond the chunk in hand. */
async function streamInto(
  handle: FileHandle,
  body: ReadableStream<Uint8Array>,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  const reader = body.getReader();
  let bytes = 0;
  let sinceCollection = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      let offset = 0;
      while (offset < value.byteLength) {
        const { bytesWritten } = await handle.write(value, offset, value.byteLength - offset);
        offset += bytesWritten;
      }
      bytes += value.byteLength;
      sinceCollection += value.byteLength;
      if (collect && sinceCollection >= COLLECT_EVERY_BYTES) {
        sinceCollection = 0;
        collect();
      }
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  return { bytes, sha256: hash.digest("hex") };
}

function asWriteFailure(error: unknown, path: string): unknown {
  if (isGlmImageError(error)) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  return new GlmImageError(
    "DOWNLOAD_FAILED",
    `Failed to download image to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * Streams an image to `target` (see prepareTarget): a failure leaves neither a partial file nor
 * a damaged old one, and never replaces a device. Answers the size and SHA-256 written.
 */
export async function saveImage(
  body: ReadableStream<Uint8Array>,
  target: string,
): Promise<{ bytes: number; sha256: string }> {
  let prepared: ImageTarget;
  try {
    prepared = await prepareTarget(target);
  } catch (error) {
    await body.cancel().catch(() => {});
    throw error;
  }
  const { bytes, sha256 } = await prepared.write(body);
  return { bytes, sha256 };
}
