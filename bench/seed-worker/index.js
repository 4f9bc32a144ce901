// Seeds the gallery bench's R2 store (bench/scale-gallery.ts): POST /seed?from=F&count=C writes
// images F..F+C-1 through the edge's own image layout (image-store.ts over r2-bucket.ts, as the
// edge stores them), and GET /cursor?skip=N answers the list cursor after the N newest index
// entries: the deep cursor the edge's GET /v1/images takes back. Local use under wrangler dev.
import { imageStore } from "@glm-image/edge/image-store";
import { r2Bucket } from "@glm-image/edge/r2-bucket";
import { galleryImage, SEED_BATCH } from "./gallery-image.ts";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const bucket = r2Bucket(env.IMAGES);
    if (url.pathname === "/seed" && request.method === "POST") {
      const from = Number(url.searchParams.get("from"));
      const count = Number(url.searchParams.get("count"));
      for (let start = from; start < from + count; start += SEED_BATCH) {
        const batch = Array.from(
          { length: Math.min(SEED_BATCH, from + count - start) },
          (_, offset) => start + offset,
        );
        await Promise.all(
          batch.map(async (index) => {
            const image = await galleryImage(index);
            await imageStore(bucket, () => image.storedAt).put(
              image.key,
              image.body(),
              image.bytes.length,
              image.fields,
            );
          }),
        );
      }
      return Response.json({ seeded: count });
    }
    if (url.pathname === "/cursor") {
      let remaining = Number(url.searchParams.get("skip"));
      let cursor;
      while (remaining > 0) {
        const page = await bucket.list({
          prefix: "index/",
          cursor,
          limit: Math.min(remaining, 1000),
        });
        remaining -= page.keys.length;
        cursor = page.cursor;
        if (!cursor) break;
      }
      return Response.json({ cursor: cursor ?? null });
    }
    return new Response("seed");
  },
};
