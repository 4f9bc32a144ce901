// Seeds the gallery bench's R2 store (bench/scale-gallery.ts): POST /seed?from=F&count=C writes
// images F..F+C-1 through the edge's own image layout (image-store.ts over r2-bucket.ts, as the
// edge stores them), and GET /cursor?skip=N answers the list cursor after the N newest index
// entries: the deep cursor the edge's GET /v1/images takes back; GET /calls?cursor=&limit=&times=
// times a page's own R2 calls inside the Worker (the gallery's reference). Local use only.
import { r2Bucket } from "@glm-image/edge/r2-bucket";
import { cursorAfter, pageCalls, seedImages } from "./gallery-image.ts";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const bucket = r2Bucket(env.IMAGES);
    if (url.pathname === "/seed" && request.method === "POST") {
      const from = Number(url.searchParams.get("from"));
      await seedImages(bucket, from, from + Number(url.searchParams.get("count")));
      return Response.json({ seeded: true });
    }
    if (url.pathname === "/cursor") {
      return Response.json({
        cursor: await cursorAfter(bucket, Number(url.searchParams.get("skip"))),
      });
    }
    if (url.pathname === "/calls") {
      const cursor = url.searchParams.get("cursor") ?? undefined;
      const limit = Number(url.searchParams.get("limit"));
      const times = Number(url.searchParams.get("times"));
      return Response.json(await pageCalls(bucket, cursor, limit, times));
    }
    return new Response("seed");
  },
};
