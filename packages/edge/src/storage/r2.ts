import type { ImageMetadata, ImageStore, StoredImage } from "../ports.ts";

const objectKey = (key: string) => `images/${key}`;

function metadataOf(object: R2Object): ImageMetadata {
  const custom = object.customMetadata ?? {};
  return {
    prompt: custom.prompt ?? "",
    model: custom.model ?? "",
    size: custom.size ?? "",
    quality: custom.quality ?? "",
    created: Number(custom.created ?? 0),
    content_type: object.httpMetadata?.contentType ?? "application/octet-stream",
    bytes: object.size,
    content_filter: JSON.parse(custom.content_filter ?? "[]"),
  };
}

/**
 * Images in an R2 bucket. R2 needs the length of a stream up front: a known length streams
 * through a FixedLengthStream, an unknown one is read into memory (downloads are capped at 50 MiB).
 */
export function r2Store(bucket: R2Bucket): ImageStore {
  return {
    async put(key, body, length, metadata) {
      const value =
        length === undefined
          ? await new Response(body).arrayBuffer()
          : body.pipeThrough(new FixedLengthStream(length));
      const object = await bucket.put(objectKey(key), value, {
        httpMetadata: { contentType: metadata.content_type },
        customMetadata: {
          prompt: metadata.prompt,
          model: metadata.model,
          size: metadata.size,
          quality: metadata.quality,
          created: String(metadata.created),
          content_filter: JSON.stringify(metadata.content_filter),
        },
      });
      return metadataOf(object);
    },
    async get(key): Promise<StoredImage | null> {
      const object = await bucket.get(objectKey(key));
      return object ? { key, metadata: metadataOf(object), body: object.body } : null;
    },
    async head(key): Promise<StoredImage | null> {
      const object = await bucket.head(objectKey(key));
      return object ? { key, metadata: metadataOf(object) } : null;
    },
  };
}
