import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { GlmImageError } from "@glm-image/core";

/** An absolute path; `~/` means the home folder, as in the seed's examples. */
export function resolvePath(path: string, cwd: string): string {
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return resolve(cwd, path);
}

/**
 * Streams an image into a temporary file beside the target, flushes it to disk, and renames it
 * over the target only when every byte arrived: a failure leaves neither a partial file nor a
 * damaged old one. Answers the size and SHA-256 of what was written.
 */
export async function saveImage(
  body: ReadableStream<Uint8Array>,
  target: string,
): Promise<{ bytes: number; sha256: string }> {
  const folder = dirname(target);
  const temporary = join(folder, `.${basename(target)}.${randomBytes(6).toString("hex")}.part`);
  try {
    await mkdir(folder, { recursive: true });
    const file = createWriteStream(temporary, { flags: "wx" });
    const hash = createHash("sha256");
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), hashing, file);
    const handle = await open(temporary, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return { bytes: file.bytesWritten, sha256: hash.digest("hex") };
  } catch (error) {
    await body.cancel().catch(() => {});
    await rm(temporary, { force: true }).catch(() => {});
    if (error instanceof GlmImageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new GlmImageError("DOWNLOAD_FAILED", `Failed to download image to ${target}: ${reason}`, {
      cause: error,
    });
  }
}
