// Through a real glm-image edge: `deno serve packages/edge/src/deno.ts` in front of the mock
// ZhiPu API, started as users start it. Nothing of the edge package is imported.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APICallError } from "@ai-sdk/provider";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { paidGenerations, type Service, startDenoEdge } from "@glm-image/testkit";
import { generateImage } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGlmImage, type GlmImageImageMetadata } from "./index.ts";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const token = "ai-sdk-test-token";
let mock: MockServer;
let edge: Service;

beforeAll(async () => {
  mock = await startMockServer();
  edge = await startDenoEdge(mock.baseUrl, await mkdtemp(join(tmpdir(), "glm-image-ai-sdk-")), {
    ZHIPU_API_KEY: mock.apiKey,
    API_TOKENS: token,
  });
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  await mock?.close();
});

beforeEach(() => {
  mock.reset();
});

const paid = () => paidGenerations(mock.url);
/** No ZhiPu key on this side: the edge holds it. */
const throughEdge = () => createGlmImage({ baseURL: edge.origin, edgeToken: token });
const metadataOf = (providerMetadata: unknown) =>
  (providerMetadata as { glmImage: { images: GlmImageImageMetadata[] } }).glmImage.images;

describe("generateImage through a glm-image edge", () => {
  it("returns the bytes and the edge's permanent URL; n: 2 is two distinct images in one call, each paid once", async () => {
    const result = await generateImage({
      model: throughEdge()("glm-image"),
      prompt: "a lighthouse",
      aspectRatio: "16:9",
    });
    const [metadata] = metadataOf(result.providerMetadata);
    expect(metadata).toMatchObject({ source: "edge", model: "glm-image", size: "1728x960" });
    expect(metadata).not.toHaveProperty("expiresAt");
    expect(metadata?.url.startsWith(`${edge.origin}/images/`)).toBe(true);
    const stored = await fetch(metadata?.url ?? "");
    expect(stored.headers.get("cache-control")).toMatch(/immutable/);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(result.image.uint8Array);
    expect(await paid()).toBe(1);

    const two = await generateImage({
      model: throughEdge()("glm-image"),
      prompt: "a harbour",
      n: 2,
    });
    const urls = metadataOf(two.providerMetadata).map((image) => image.url);
    expect(two.images).toHaveLength(2);
    expect(new Set(urls).size).toBe(2);
    expect(await paid()).toBe(3);

    // The edge keeps what it made: the same request again answers the same images, unpaid.
    const again = await generateImage({
      model: throughEdge()("glm-image"),
      prompt: "a harbour",
      n: 2,
    });
    expect(metadataOf(again.providerMetadata).map((image) => image.url)).toEqual(urls);
    expect(await paid()).toBe(3);
  });

  it("checks the size before calling the edge, and keeps the edge's error codes", async () => {
    await expect(
      generateImage({ model: throughEdge()("glm-image"), prompt: "x", size: "1000x1000" }),
    ).rejects.toMatchObject({ argument: "size", cause: { code: "INVALID_SIZE" } });

    // More than the edge serves in one call is its clear 400, never fewer images or repeats.
    await expect(
      generateImage({ model: throughEdge()("glm-image"), prompt: "x", n: 5 }),
    ).rejects.toMatchObject({
      statusCode: 400,
      data: { code: "invalid_request", message: expect.stringMatching(/n must be 1 to 4/) },
    });

    const wrong = createGlmImage({ baseURL: edge.origin, edgeToken: "not-a-token" });
    const attempt = generateImage({ model: wrong("glm-image"), prompt: "x" });
    await expect(attempt).rejects.toSatisfy(APICallError.isInstance);
    await expect(attempt).rejects.toMatchObject({
      statusCode: 401,
      isRetryable: false,
      url: `${edge.origin}/v1/images/generations`,
      data: { code: "authentication_error" },
    });
    expect(await paid()).toBe(0);
  });
});
