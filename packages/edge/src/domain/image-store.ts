import type { BucketObject, ImageMetadata, ImageStore, ObjectBucket, Release } from "./ports.ts";
import { ADMINS } from "./tenants.ts";

/**
 * The one layout of images in a bucket, the same in R2 (Workers) and S3 or files (Deno), so one
 * bucket can be served by both:
 * - `images/<key>`: the bytes, with the Content-Type read from them;
 * - `index/<inverted stored_at>-<key>`: empty, so that a list in key order is newest first (an
 *   entry that the image's metadata does not name, from a store cut short, is skipped);
 * - `owners/<tenant>/<inverted time>-<key>`: empty, one per owner, the time it became the owner's:
 *   a tenant's images are one prefix listing, newest first (skipped, too, unless the metadata's
 *   `owners` names that tenant with that time);
 * - `images/<key>.json`: the metadata, with its `owners`, written last: an image exists once its
 *   metadata does, and a tenant owns it once the metadata says so.
 * Prompts live in the JSON, not in object metadata (S3 caps that at 2 KiB of ASCII). Images stored
 * before owners were recorded have no `owners` and no `owners/` entries: they are the admins'.
 */
export const bytesKey = (key: string) => `images/${key}`;
export const metadataKey = (key: string) => `images/${key}.json`;
const INDEX = "index/";
const ownerPrefix = (tenant: string) => `owners/${tenant}/`;
const LATEST = 9_999_999_999_999;
const newestFirst = (key: string, time: number) =>
  `${String(LATEST - time).padStart(13, "0")}-${key}`;
const indexKey = (key: string, storedAt: number) => `${INDEX}${newestFirst(key, storedAt)}`;
const ownerKey = (tenant: string, key: string, since: number) =>
  `${ownerPrefix(tenant)}${newestFirst(key, since)}`;

const typeOf = (object: BucketObject) => object.contentType ?? "application/octet-stream";
const EMPTY = { contentType: "application/octet-stream" };

/** The owners of an image and since when; an image stored before owners were kept is the admins'. */
export const ownersOf = (metadata: ImageMetadata): Record<string, number> =>
  metadata.owners ?? { [ADMINS]: metadata.stored_at };

export function imageStore(bucket: ObjectBucket, now: () => number = Date.now): ImageStore {
  const metadata = async (key: string): Promise<ImageMetadata | null> => {
    const object = await bucket.get(metadataKey(key));
    return object ? ((await new Response(object.body).json()) as ImageMetadata) : null;
  };
  const writeMetadata = (key: string, value: ImageMetadata) =>
    bucket.put(metadataKey(key), new TextEncoder().encode(JSON.stringify(value)), {
      contentType: "application/json",
    });
  const mark = (name: string) => bucket.put(name, new Uint8Array(), EMPTY);

  /** Every object of an image; the metadata first, so that it stops existing at once. */
  async function remove(key: string, existing: ImageMetadata): Promise<void> {
    await bucket.delete(metadataKey(key));
    await Promise.all([
      bucket.delete(indexKey(key, existing.stored_at)),
      ...Object.entries(existing.owners ?? {}).map(([tenant, since]) =>
        bucket.delete(ownerKey(tenant, key, since)),
      ),
    ]);
    await bucket.delete(bytesKey(key));
  }

  return {
    async put(key, body, length, fields, owners) {
      const storedAt = now();
      const owned = Object.fromEntries(owners.map((tenant) => [tenant, storedAt]));
      // The bytes and the index entries do not depend on each other; the metadata, the commit
      // point, waits for them all.
      const [stored] = await Promise.all([
        bucket.put(bytesKey(key), body, { length, contentType: fields.content_type }),
        mark(indexKey(key, storedAt)),
        ...Object.keys(owned).map((tenant) => mark(ownerKey(tenant, key, storedAt))),
      ]);
      const complete: ImageMetadata = {
        ...fields,
        bytes: stored.size,
        stored_at: storedAt,
        owners: owned,
      };
      await writeMetadata(key, complete);
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
    async list({ cursor, limit, owner }) {
      const prefix = owner === undefined ? INDEX : ownerPrefix(owner);
      const page = await bucket.list({ prefix, cursor, limit });
      const found = await Promise.all(
        page.keys.map(async (name) => {
          const key = name.slice(name.lastIndexOf("-") + 1);
          return { name, key, metadata: await metadata(key) };
        }),
      );
      // An entry counts when its image's metadata names it: one left by a store cut short (no
      // metadata, or an image stored again later under a newer entry), or by an owner that has
      // let the image go, is skipped.
      const named = (name: string, key: string, found: ImageMetadata) => {
        if (owner === undefined) return indexKey(key, found.stored_at) === name;
        const since = found.owners?.[owner];
        return since !== undefined && ownerKey(owner, key, since) === name;
      };
      return {
        images: found
          .filter(
            (image): image is { name: string; key: string; metadata: ImageMetadata } =>
              image.metadata !== null && named(image.name, image.key, image.metadata),
          )
          .map(({ key, metadata }) => ({ key, metadata })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
    async addOwner(key, tenant) {
      const existing = await metadata(key);
      if (!existing) return null;
      if (existing.owners?.[tenant] !== undefined) return existing;
      const since = now();
      // An image from before owners were kept is the admins': they keep it, named as such.
      const owners = { ...ownersOf(existing), [tenant]: since };
      await Promise.all(
        Object.entries(owners)
          .filter(([name]) => existing.owners?.[name] === undefined)
          .map(([name, time]) => mark(ownerKey(name, key, time))),
      );
      const updated = { ...existing, owners };
      await writeMetadata(key, updated);
      return updated;
    },
    async release(key, tenant): Promise<Release> {
      const existing = await metadata(key);
      if (!existing) return { removed: "nothing" };
      if (tenant === undefined) {
        await remove(key, existing);
        return { removed: "image", metadata: existing };
      }
      const owners = ownersOf(existing);
      const since = owners[tenant];
      if (since === undefined) return { removed: "nothing" };
      const { [tenant]: _released, ...others } = owners;
      if (Object.keys(others).length === 0) {
        await remove(key, existing);
        return { removed: "image", metadata: existing };
      }
      // The metadata first: the tenant stops owning the image at once; then its index entry.
      await writeMetadata(key, { ...existing, owners: others });
      await bucket.delete(ownerKey(tenant, key, since));
      return { removed: "ownership" };
    },
  };
}
