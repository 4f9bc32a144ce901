import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { ImageMetadata, ImageStore, StoredImage } from "../ports.ts";

/**
 * Images as files (Deno, or anywhere with a disk): `<key>` holds the bytes, `<key>.json` the
 * metadata, written last, so an image exists only once it is whole.
 */
export function fileStore(folder: string): ImageStore {
  const path = (key: string) => join(folder, key);
  const readMetadata = async (key: string): Promise<ImageMetadata | null> => {
    try {
      return JSON.parse(await readFile(`${path(key)}.json`, "utf8")) as ImageMetadata;
    } catch {
      return null;
    }
  };
  return {
    async put(key, body, _length, metadata) {
      await mkdir(folder, { recursive: true });
      const temporary = `${path(key)}.${randomUUID()}.part`;
      try {
        await pipeline(
          Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
          createWriteStream(temporary),
        );
        const { size } = await stat(temporary);
        await rename(temporary, path(key));
        const complete: ImageMetadata = { ...metadata, bytes: size };
        await writeFile(`${path(key)}.json.part`, JSON.stringify(complete));
        await rename(`${path(key)}.json.part`, `${path(key)}.json`);
        return complete;
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
    },
    async get(key): Promise<StoredImage | null> {
      const metadata = await readMetadata(key);
      if (!metadata) return null;
      const body = Readable.toWeb(
        createReadStream(path(key)),
      ) as unknown as ReadableStream<Uint8Array>;
      return { key, metadata, body };
    },
    async head(key): Promise<StoredImage | null> {
      const metadata = await readMetadata(key);
      return metadata ? { key, metadata } : null;
    },
  };
}
