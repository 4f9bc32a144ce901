import type { BucketObject, ObjectBucket } from "../../domain/ports.ts";

const describe = (object: R2Object): BucketObject => ({
  size: object.size,
  contentType: object.httpMetadata?.contentType,
});

/**
 * An R2 binding as an ObjectBucket. R2 needs the length of a stream up front: a known length
 * streams through a FixedLengthStream, an unknown one is read into memory (downloads are capped).
 */
export function r2Bucket(bucket: R2Bucket): ObjectBucket {
  return {
    async put(key, body, { length, contentType }) {
      const value =
        body instanceof Uint8Array
          ? body
          : length === undefined
            ? await new Response(body).arrayBuffer()
            : body.pipeThrough(new FixedLengthStream(length));
      return describe(await bucket.put(key, value, { httpMetadata: { contentType } }));
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? { ...describe(object), body: object.body } : null;
    },
    async head(key) {
      const object = await bucket.head(key);
      return object ? describe(object) : null;
    },
    async list({ prefix, cursor, limit }) {
      const page = await bucket.list({ prefix, limit, ...(cursor ? { cursor } : {}) });
      return {
        keys: page.objects.map((object) => object.key),
        ...(page.truncated ? { cursor: page.cursor } : {}),
      };
    },
    delete: (key) => bucket.delete(key),
  };
}
