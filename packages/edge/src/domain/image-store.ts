import type { BucketObject, ImageMetadata, ImageStore, ObjectBucket } from "./ports.ts";

/**
 * The one layout of images in a bucket, the same in R2 (Workers) and S3 or files (Deno), so one
 * bucket can be served by both:
 * - `images/<key>`: the bytes, with the Content-Type read from them;
 * - `index/<inverted stored_at>-<key>`: empty, so that a list in key order is newest first (an
 *   entry that the image's metadata does not name, from a store cut short, is skipped);
 * - `images/<key>.json`: the metadata, written last: an image exists once its metadata does.
 * Prompts live in the JSON, not in object metadata (S3 caps that at 2 KiB of ASCII).
 */
export const bytesKey = (key: string) => `images/${key}`;
export const metadataKey = (key: string) => `images/${key}.json`;
const INDEX = "index/";
const LATEST = 9_999_999_999_999;
const indexKey = (key: string, storedAt: number) =>
  `${INDEX}${String(LATEST - storedAt).padStart(13, "0")}-${key}`;

const typeOf = (object: BucketObject) => object.contentType ?? "application/octet-stream";

export function imageStore(bucket: ObjectBucket, now: () => number = Date.now): ImageStore {
  const metadata = async (key: string): Promise<ImageMetadata | null> => {
    const object = await bucket.get(metadataKey(key));
    return object ? ((await new Response(object.body).json()) as ImageMetadata) : null;
  };
  return {
    async put(key, body, length, fields) {
      const storedAt = now();
      // The bytes and the index entry do not depend on each other; the metadata, the commit
      // point, waits for both.
      const [stored] = await Promise.all([
        bucket.put(bytesKey(key), body, { length, contentType: fields.content_type }),
        bucket.put(indexKey(key, storedAt), new Uint8Array(), {
          contentType: "application/octet-stream",
        }),
      ]);
      const complete: ImageMetadata = { ...fields, bytes: stored.size, stored_at: storedAt };
      await bucket.put(metadataKey(key), new TextEncoder().encode(JSON.stringify(complete)), {
        contentType: "application/json",
      });
      return complete;
    },
    async read(key, withBody) {
      if (!withBody) {
        const object = await bucket.head(bytesKey(key));
        return object && { key, contentType: typeOf(object), bytes: object.size };
      }
      const object = await bucket.get(bytesKey(key));
      return object && { key, contentType: typeOf(object), bytes: object.size, body: object.body };
    },
    metadata,
    async list({ cursor, limit }) {
      const page = await bucket.list({ prefix: INDEX, cursor, limit });
      const found = await Promise.all(
        page.keys.map(async (name) => {
          const key = name.slice(name.lastIndexOf("-") + 1);
          return { name, key, metadata: await metadata(key) };
        }),
      );
      return {
        // An entry counts when its image's metadata names it: one left by a store cut short
        // (no metadata, or an image stored again later under a newer entry) is skipped.
        images: found
          .filter(
            (image): image is { name: string; key: string; metadata: ImageMetadata } =>
              image.metadata !== null &&
              indexKey(image.key, image.metadata.stored_at) === image.name,
          )
          .map(({ key, metadata }) => ({ key, metadata })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
    async delete(key) {
      const existing = await metadata(key);
      await bucket.delete(metadataKey(key));
      if (existing) await bucket.delete(indexKey(key, existing.stored_at));
      await bucket.delete(bytesKey(key));
    },
  };
}
