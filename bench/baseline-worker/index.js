// The cache-hit baseline: a Worker that answers a constant body of BODY_BYTES bytes.
let body;
export default {
  fetch(_request, env) {
    body ??= new Uint8Array(Number(env.BODY_BYTES ?? 0)).fill(7);
    return new Response(body, { headers: { "content-type": "image/png" } });
  },
};
