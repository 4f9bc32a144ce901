// Storage and coordination that fail, in workerd, with real faults: an S3 endpoint where nothing
// listens (the Deno entry's wiring, run in workerd), an R2 call that R2 refuses, and Durable
// Objects reset in the middle of a generation.
import { abortAllDurableObjects, env, SELF } from "cloudflare:test";
import {
  contentKey,
  GlmImageError,
  parseGenerationRequest,
  signedRenderUrl,
} from "@glm-image/core";
import { paidGenerations } from "@glm-image/testkit/mock-state";
import { describe, expect, it } from "vitest";
import { r2Bucket } from "../../src/adapters/cloudflare/r2-bucket.ts";
import {
  bucketBudget,
  bucketClaims,
  bucketJournal,
} from "../../src/adapters/deno/bucket-coordination.ts";
import { inProcessCoordinator } from "../../src/adapters/deno/in-process-coordinator.ts";
import { s3Bucket } from "../../src/adapters/deno/s3-bucket.ts";
import { readConfig } from "../../src/domain/config.ts";
import { guardedBucket } from "../../src/domain/guarded-bucket.ts";
import { imageStore } from "../../src/domain/image-store.ts";
import { createApp } from "../../src/http/app.ts";
import { freshPrompt } from "../contract.ts";

const generations = () => paidGenerations(env.MOCK_ORIGIN);
const SECRET = "a-signing-secret-for-tests";
const auth = { authorization: "Bearer token-one", "content-type": "application/json" };

/** The Deno entry's wiring without KV (bucket journal, budget and claims), on a dead S3 endpoint. */
function appOnDeadS3() {
  const config = readConfig({
    ZHIPU_API_KEY: "test-key",
    ZHIPU_BASE_URL: env.ZHIPU_BASE_URL,
    API_TOKENS: "token-one",
    SIGNING_SECRET: SECRET,
    MAX_GENERATIONS_PER_DAY: "100",
  });
  // Port 1 on loopback: nothing listens there, every call is refused.
  const bucket = guardedBucket(
    s3Bucket({
      endpoint: "http://127.0.0.1:1",
      bucket: "images",
      accessKeyId: "key",
      secretAccessKey: "secret",
      region: "auto",
    }),
  );
  const store = imageStore(bucket);
  const coordinator = inProcessCoordinator(
    { store, config, journal: bucketJournal(bucket), budget: bucketBudget(bucket) },
    bucketClaims(bucket),
  );
  return createApp({ config, store, coordinator });
}

interface ErrorAnswer {
  error: { code: string; message: string };
}

async function expectStorageUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  const { error } = (await response.json()) as ErrorAnswer;
  expect(error.code).toBe("storage_unavailable");
  expect(error.message).not.toContain("127.0.0.1");
}

describe("storage that cannot be reached is 503 storage_unavailable, never a 500", () => {
  it("an S3 endpoint that refuses connections: every route, nothing paid", async () => {
    const app = appOnDeadS3();
    const before = await generations();
    const prompt = freshPrompt("dead store");
    const key = "0".repeat(64);
    const requests: Array<[string, RequestInit]> = [
      [
        "/v1/images/generations",
        { method: "POST", headers: auth, body: JSON.stringify({ prompt }) },
      ],
      [
        "/v1/images/generations",
        {
          method: "POST",
          headers: { ...auth, "idempotency-key": `idem-${prompt}` },
          body: JSON.stringify({ prompt }),
        },
      ],
      [`/images/${key}.png`, {}],
      [`/images/${key}.png`, { headers: { "if-none-match": `"${key}"` } }],
      [`/v1/images/${key}`, { headers: auth }],
      [`/v1/images/${key}`, { method: "DELETE", headers: auth }],
      ["/v1/images", { headers: auth }],
    ];
    for (const [path, init] of requests)
      await expectStorageUnavailable(await app.request(path, init));

    const render = await signedRenderUrl("http://edge.test", { prompt }, SECRET);
    const placeholder = await app.request(render.slice("http://edge.test".length));
    expect(placeholder.status).toBe(503);
    expect(placeholder.headers.get("content-type")).toContain("image/svg+xml");
    expect(placeholder.headers.get("x-error-code")).toBe("storage_unavailable");
    expect(Number(placeholder.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await placeholder.text()).toContain("cannot be reached");
    expect(await generations()).toBe(before);
  });

  it("an R2 call that R2 refuses is storage_unavailable at the bucket's boundary", async () => {
    // R2 refuses a key longer than 1024 bytes: a real R2 failure, without breaking the binding.
    const bucket = guardedBucket(r2Bucket(env.IMAGES));
    const failure = await bucket.get("k".repeat(1100)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GlmImageError);
    expect(failure).toMatchObject({ code: "storage_unavailable", retryable: true });
    expect(String((failure as GlmImageError).cause)).toMatch(/./);
  });

  it("Durable Objects reset mid-generation: 503 storage_unavailable, then the image, paid once", async () => {
    const prompt = freshPrompt("[mock:slow-task=3000] reset");
    const generate = () =>
      SELF.fetch("http://edge.test/v1/images/generations", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ prompt }),
      });
    const before = await generations();
    const first = generate();
    while ((await generations()) === before)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await abortAllDurableObjects();
    await expectStorageUnavailable(await first);

    // The task id was journaled before the reset: the next request polls it, paying nothing.
    let answer: Response | undefined;
    for (let attempt = 0; attempt < 30 && answer?.status !== 200; attempt++) {
      await answer?.arrayBuffer();
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await generate();
    }
    expect(answer?.status).toBe(200);
    const key = await contentKey(parseGenerationRequest({ prompt }));
    expect(
      ((await (answer as Response).json()) as { data: Array<{ url: string }> }).data[0]?.url,
    ).toBe(`http://edge.test/images/${key}.png`);
    expect(await generations()).toBe(before + 1);
  });
});
