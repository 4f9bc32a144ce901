// The Deno cache-hit baseline: `deno serve` answering a constant body of BODY_BYTES bytes.
const body = new Uint8Array(Number(Deno.env.get("BODY_BYTES") ?? 0)).fill(7);
export default {
  fetch: () => new Response(body, { headers: { "content-type": "image/png" } }),
};
