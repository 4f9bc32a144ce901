// The Deno cache-hit baseline: `deno serve` answering a constant body of BODY_BYTES bytes, from
// memory; with FROM=cache, the same bytes put once into Deno's Cache API and matched there on every
// request (the floor of a hit that the edge serves from its Cache API, as it does).
const body = new Uint8Array(Number(Deno.env.get("BODY_BYTES") ?? 0)).fill(7);
const headers = {
  "content-type": "image/png",
  "cache-control": "public, max-age=31536000, immutable",
};
const key = new Request("http://floor.invalid/images/floor.png");
const cache =
  Deno.env.get("FROM") === "cache" ? await caches.open("glm-image-bench-floor") : undefined;
await cache?.put(key, new Response(body, { headers }));
export default {
  fetch: async () => (await cache?.match(key)) ?? new Response(body, { headers }),
};
