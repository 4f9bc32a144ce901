import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BucketObject, ObjectBucket } from "../../domain/ports.ts";
import { nodeReadable, webStream } from "./web-streams.ts";

/**
 * A folder as an ObjectBucket, for trying the Deno entry locally (not for serverless hosts: their
 * disks do not last). An object is `<key>` plus `<key>.type` (its Content-Type); a put writes
 * `<key>.part` and renames it, so an object is whole or absent. One writer per key (the
 * coordinator's single flight) means the part's name can be fixed: the next put of the same key
 * replaces what a crash left behind.
 */
export function filesBucket(folder: string): ObjectBucket {
  const path = (key: string) => join(folder, ...key.split("/"));
  const describe = async (key: string): Promise<BucketObject | null> => {
    try {
      const [{ size }, contentType] = await Promise.all([
        stat(path(key)),
        readFile(`${path(key)}.type`, "utf8"),
      ]);
      return { size, contentType };
    } catch {
      return null;
    }
  };
  return {
    async put(key, body, { contentType }) {
      const target = path(key);
      await mkdir(dirname(target), { recursive: true });
      const part = `${target}.part`;
      try {
        const source = body instanceof Uint8Array ? Readable.from([body]) : nodeReadable(body);
        await pipeline(source, createWriteStream(part));
        await pipeline(Readable.from([contentType]), createWriteStream(`${part}.type`));
        await rename(`${part}.type`, `${target}.type`);
        await rename(part, target);
      } catch (error) {
        await Promise.all([rm(part, { force: true }), rm(`${part}.type`, { force: true })]);
        throw error;
      }
      return { size: (await stat(target)).size, contentType };
    },
    async get(key) {
      const object = await describe(key);
      if (!object) return null;
      const body = webStream(createReadStream(path(key)));
      return { ...object, body };
    },
    head: describe,
    async list({ prefix, cursor, limit }) {
      const base = path(prefix.replace(/\/$/, ""));
      let names: string[];
      try {
        names = await readdir(base, { recursive: true });
      } catch {
        return { keys: [] };
      }
      const keys = names
        .filter((name) => !name.endsWith(".type") && !name.endsWith(".part"))
        .map((name) => relative(folder, join(base, name)).split(sep).join("/"))
        .filter((key) => key.startsWith(prefix) && (cursor === undefined || key > cursor))
        .sort();
      const page = keys.slice(0, limit);
      return {
        keys: page,
        ...(keys.length > limit && page.length > 0 ? { cursor: page[page.length - 1] } : {}),
      };
    },
    async delete(key) {
      await rm(path(key), { force: true });
      await rm(`${path(key)}.type`, { force: true });
    },
  };
}
