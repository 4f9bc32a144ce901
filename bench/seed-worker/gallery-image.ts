// The gallery bench's images, the same for R2 (seed-worker) and S3 (scale-gallery.ts): image i
// has the content key sha256("gallery bench i") and is stored at BASE + i ms, so that a list in
// key order (newest first) starts at the last one. They are written through the edge's own layout.
import { imageStore } from "@glm-image/edge/image-store";
import { ADMINS } from "@glm-image/edge/tenants";

type ObjectBucket = Parameters<typeof imageStore>[0];
const SEED_BATCH = 25;
const BASE = 1_700_000_000_000;
// A 1x1 PNG: the gallery reads metadata only.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ),
  (character) => character.charCodeAt(0),
);

export async function galleryImage(index: number) {
  const prompt = `gallery bench image ${index}: a lighthouse on a cliff at dusk, watercolour`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`gallery bench ${index}`),
  );
  const key = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
  return {
    key,
    storedAt: BASE + index,
    bytes: PNG,
    body: () => new Blob([PNG]).stream(),
    fields: {
      prompt,
      model: "cogview-3-flash",
      size: "512x512",
      quality: "standard",
      created: Math.floor((BASE + index) / 1000),
      content_type: "image/png",
      content_filter: [],
    },
  };
}

/** Stores images `from` to `to` - 1 in `bucket` as the edge does, SEED_BATCH at a time. */
export async function seedImages(bucket: ObjectBucket, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, to - start) }, (_, i) => start + i);
    await Promise.all(
      batch.map(async (index) => {
        const image = await galleryImage(index);
        await imageStore(bucket, () => image.storedAt).put(
          image.key,
          image.body(),
          image.bytes.length,
          image.fields,
          [ADMINS],
        );
      }),
    );
  }
}

/** The list cursor after the `skip` newest index entries: a deep cursor for GET /v1/images. */
export async function cursorAfter(bucket: ObjectBucket, skip: number): Promise<string> {
  let remaining = skip;
  let cursor: string | undefined;
  while (remaining > 0) {
    const page = await bucket.list({
      prefix: "index/",
      limit: Math.min(remaining, 1000),
      ...(cursor ? { cursor } : {}),
    });
    remaining -= page.keys.length;
    cursor = page.cursor;
    if (!cursor) break;
  }
  if (!cursor) throw new Error(`no cursor after ${skip} index entries`);
  return cursor;
}

/**
 * The store calls of one gallery page, as the edge makes them (a list of the index, then each
 * image's metadata), `times` times in a row; answers each time in ms.
 */
export async function pageCalls(
  bucket: ObjectBucket,
  cursor: string | undefined,
  limit: number,
  times: number,
): Promise<number[]> {
  const elapsed: number[] = [];
  for (let time = 0; time < times; time++) {
    const started = performance.now();
    const page = await bucket.list({ prefix: "index/", limit, ...(cursor ? { cursor } : {}) });
    await Promise.all(
      page.keys.map(async (name) => {
        const object = await bucket.get(`images/${name.slice(name.lastIndexOf("-") + 1)}.json`);
        await new Response(object?.body).arrayBuffer();
      }),
    );
    elapsed.push(performance.now() - started);
  }
  return elapsed;
}
