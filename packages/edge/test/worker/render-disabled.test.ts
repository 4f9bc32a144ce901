import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { durableObjectCoordinator } from "../../src/adapters/cloudflare/durable-object.ts";
import { r2Bucket } from "../../src/adapters/cloudflare/r2-bucket.ts";
import { readConfig } from "../../src/domain/config.ts";
import { imageStore } from "../../src/domain/image-store.ts";
import { createApp } from "../../src/http/app.ts";

it("turns /render and /v1/render-urls off without SIGNING_SECRET", async () => {
  const app = createApp({
    config: await readConfig({ API_TOKENS: "token-one" }),
    store: imageStore(r2Bucket(env.IMAGES)),
    coordinator: durableObjectCoordinator(env.GENERATIONS),
  });
  const render = await app.request(`/render?prompt=x&sig=${"0".repeat(64)}`);
  expect(render.status).toBe(404);
  expect(((await render.json()) as { error: { message: string } }).error.message).toContain(
    "SIGNING_SECRET",
  );
  const mint = await app.request("/v1/render-urls", {
    method: "POST",
    headers: { authorization: "Bearer token-one", "content-type": "application/json" },
    body: JSON.stringify({ prompt: "x" }),
  });
  expect(mint.status).toBe(404);
});
