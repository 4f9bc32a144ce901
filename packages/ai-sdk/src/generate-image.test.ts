// The provider as users meet it: the AI SDK's own `generateImage` from `ai`, against the mock
// ZhiPu API on loopback. The mock's paid-generation counter is the witness of every test.
import {
  APICallError,
  InvalidArgumentError,
  LoadAPIKeyError,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { paidGenerations } from "@glm-image/testkit";
import { generateImage } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createGlmImage, type GlmImageImageMetadata, glmImage } from "./index.ts";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(() => {
  mock.reset();
  vi.unstubAllEnvs();
});

const paid = () => paidGenerations(mock.url);
const provider = () => createGlmImage({ apiKey: mock.apiKey, baseURL: mock.baseUrl });
/** The generation bodies the mock received. */
const sent = () => mock.requests.filter((request) => request.path.endsWith("/images/generations"));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return `${view.getUint32(16)}x${view.getUint32(20)}`;
}

const metadataOf = (providerMetadata: unknown) =>
  (providerMetadata as { glmImage: { images: GlmImageImageMetadata[] } }).glmImage.images;

describe("generateImage from the AI SDK, straight to ZhiPu", () => {
  it("returns the image's bytes and puts ZhiPu's URL in providerMetadata", async () => {
    const before = Date.now();
    const result = await generateImage({
      model: provider()("glm-image"),
      prompt: "a lighthouse at dusk",
    });
    expect(result.image.mediaType).toBe("image/png");
    expect(pngSize(result.image.uint8Array)).toBe("1280x1280");
    const [metadata] = metadataOf(result.providerMetadata);
    expect(metadata).toMatchObject({
      source: "zhipu",
      model: "glm-image",
      size: "1280x1280",
      quality: "hd",
      watermark: true,
      contentFilter: [],
    });
    expect(metadata?.url.startsWith(`${mock.url}/files/`)).toBe(true);
    const bytes = new Uint8Array(await (await fetch(metadata?.url ?? "")).arrayBuffer());
    expect(bytes).toEqual(result.image.uint8Array);
    // ZhiPu's URLs last 30 days from their creation.
    const expires = Date.parse(metadata?.expiresAt ?? "");
    expect(expires - (metadata?.created ?? 0) * 1000).toBe(30 * 24 * 60 * 60 * 1000);
    expect(expires).toBeGreaterThan(before);
    // The same metadata on the image itself, as the SDK hands it out per image.
    expect(result.image.providerMetadata?.glmImage).toEqual(metadata);
    expect(result.warnings).toEqual([]);
    expect(result.responses[0]?.modelId).toBe("glm-image");
    expect(result.responses[0]?.headers?.["content-type"]).toMatch(/application\/json/);
    expect(sent().map((request) => request.body)).toEqual([
      {
        model: "glm-image",
        prompt: "a lighthouse at dusk",
        size: "1280x1280",
        quality: "hd",
        watermark_enabled: true,
      },
    ]);
    expect(await paid()).toBe(1);
  });

  it("the default glmImage reads ZHIPU_API_KEY and ZHIPU_BASE_URL when it is called", async () => {
    vi.stubEnv("GLM_IMAGE_EDGE_URL", undefined);
    vi.stubEnv("GLM_IMAGE_EDGE_TOKEN", undefined);
    vi.stubEnv("ZHIPU_API_KEY", mock.apiKey);
    vi.stubEnv("ZHIPU_BASE_URL", mock.baseUrl);
    const { image } = await generateImage({ model: glmImage("glm-image"), prompt: "a harbour" });
    expect(pngSize(image.uint8Array)).toBe("1280x1280");
    expect(await paid()).toBe(1);
  });

  it("no key is the AI SDK's LoadAPIKeyError, before anything is sent", async () => {
    vi.stubEnv("ZHIPU_API_KEY", undefined);
    vi.stubEnv("GLM_IMAGE_EDGE_URL", undefined);
    const attempt = generateImage({
      model: createGlmImage({ baseURL: mock.baseUrl })("glm-image"),
      prompt: "x",
    });
    await expect(attempt).rejects.toSatisfy(LoadAPIKeyError.isInstance);
    await expect(attempt).rejects.toThrow(/ZHIPU_API_KEY/);
    expect(mock.requests).toEqual([]);
  });

  it("sends the sizes each model takes: custom, recommended, CogView's own", async () => {
    const cases = [
      ["glm-image", "1728x960"],
      ["glm-image", "2048x1024"],
      ["cogview-4", "1024x1024"],
      ["cogview-3-flash", "720x1440"],
      ["cogview-4-250304", "512x2048"],
    ] as const;
    for (const [model, size] of cases) {
      const { image, providerMetadata } = await generateImage({
        model: provider()(model),
        prompt: `a ${model} image`,
        size,
      });
      expect(pngSize(image.uint8Array), `${model} ${size}`).toBe(size);
      expect(metadataOf(providerMetadata)[0]).toMatchObject({ model, size });
    }
    expect(await paid()).toBe(cases.length);
  });

  it("an invalid size is a clear InvalidArgumentError before any paid call", async () => {
    const attempt = generateImage({
      model: provider()("glm-image"),
      prompt: "x",
      size: "1000x1000",
    });
    await expect(attempt).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(attempt).rejects.toMatchObject({
      argument: "size",
      message:
        "glm-image: Invalid size: 1000x1000 for model glm-image. Width and height must be 1024-2048px and multiples of 32, at most 4194304 pixels (2^22); or a recommended size: 1280x1280, 1568x1056, 1056x1568, 1472x1088, 1088x1472, 1728x960, 960x1728",
      cause: { code: "INVALID_SIZE" },
    });
    // CogView's rule is not glm-image's: 2048x2048 is above its 2^21 pixels.
    await expect(
      generateImage({ model: provider()("cogview-4"), prompt: "x", size: "2048x2048" }),
    ).rejects.toThrow(
      /for model cogview-4\. Width and height must be 512-2048px and multiples of 16/,
    );
    expect(mock.requests).toEqual([]);
    expect(await paid()).toBe(0);
  });

  it("an unknown model is refused with the list of models, before any call", async () => {
    const attempt = generateImage({ model: provider()("dall-e-3"), prompt: "x" });
    await expect(attempt).rejects.toMatchObject({
      argument: "modelId",
      message: expect.stringMatching(/Unknown model "dall-e-3"; use one of: glm-image, cogview-4/),
    });
    expect(mock.requests).toEqual([]);
  });

  it("maps an aspect ratio to the model's nearest recommended size", async () => {
    const cases = [
      ["glm-image", "16:9", "1728x960"],
      ["glm-image", "9:16", "960x1728"],
      ["glm-image", "1:1", "1280x1280"],
      ["glm-image", "3:2", "1568x1056"],
      ["cogview-4", "2:1", "1440x720"],
      ["cogview-4", "3:4", "864x1152"],
    ] as const;
    for (const [model, aspectRatio, size] of cases) {
      const { image, warnings } = await generateImage({
        model: provider()(model),
        prompt: "a ratio",
        aspectRatio,
      });
      expect(pngSize(image.uint8Array), `${model} ${aspectRatio}`).toBe(size);
      // 16:9 is 1.78, 1728x960 is 1.8: said so; 2:1 is exactly 1440x720: nothing to say.
      const exact = aspectRatio === "1:1" || aspectRatio === "2:1" || aspectRatio === "3:4";
      expect(warnings, `${model} ${aspectRatio}`).toEqual(
        exact
          ? []
          : [
              {
                type: "compatibility",
                feature: "aspectRatio",
                details: `${model} has no ${aspectRatio} size; ${size} is its recommended size nearest to it`,
              },
            ],
      );
    }
  });

  it("size decides when both are given; aspectRatio is then a warning", async () => {
    const { image, warnings } = await generateImage({
      model: provider()("glm-image"),
      prompt: "x",
      size: "1568x1056",
      aspectRatio: "9:16",
    });
    expect(pngSize(image.uint8Array)).toBe("1568x1056");
    expect(warnings).toEqual([
      {
        type: "unsupported",
        feature: "aspectRatio",
        details: "Ignored: size 1568x1056 is given and decides the shape",
      },
    ]);
  });

  it("an aspect ratio that is not one is refused before any call", async () => {
    for (const aspectRatio of ["0:1", "16:0"] as const) {
      await expect(
        generateImage({ model: provider()("glm-image"), prompt: "x", aspectRatio }),
      ).rejects.toMatchObject({ argument: "aspectRatio" });
    }
    expect(mock.requests).toEqual([]);
  });

  it("a seed is a warning, not an error: ZhiPu takes none", async () => {
    const result = await generateImage({ model: provider()("glm-image"), prompt: "x", seed: 42 });
    expect(result.images).toHaveLength(1);
    expect(result.warnings).toEqual([
      {
        type: "unsupported",
        feature: "seed",
        details: "ZhiPu's image API takes no seed: every call makes a new image",
      },
    ]);
    expect(sent()[0]?.body).not.toHaveProperty("seed");
  });

  it("sends user_id, quality and watermark_enabled from providerOptions.glmImage", async () => {
    const { providerMetadata } = await generateImage({
      model: provider()("cogview-4"),
      prompt: "x",
      providerOptions: { glmImage: { userId: "user-123456", quality: "hd", watermark: false } },
    });
    expect(sent()[0]?.body).toEqual({
      model: "cogview-4",
      prompt: "x",
      size: "1024x1024",
      quality: "hd",
      watermark_enabled: false,
      user_id: "user-123456",
    });
    expect(metadataOf(providerMetadata)[0]).toMatchObject({ quality: "hd", watermark: false });
  });

  it("refuses what ZhiPu would refuse, naming the provider option, before any call", async () => {
    const cases = [
      [{ userId: "abc" }, "providerOptions.glmImage.userId", /user_id must be 6 to 128/],
      [{ quality: "standard" }, "providerOptions.glmImage.quality", /it supports: hd/],
      [{ watermark: "no" }, "providerOptions.glmImage.watermark", /watermark/],
    ] as const;
    for (const [glmImageOptions, argument, message] of cases) {
      const attempt = generateImage({
        model: provider()("glm-image"),
        prompt: "x",
        providerOptions: { glmImage: glmImageOptions },
      });
      await expect(attempt).rejects.toMatchObject({
        argument,
        message: expect.stringMatching(message),
      });
    }
    expect(mock.requests).toEqual([]);
  });

  it("an unknown provider option is a warning", async () => {
    const { warnings } = await generateImage({
      model: provider()("glm-image"),
      prompt: "x",
      providerOptions: { glmImage: { style: "vivid" } },
    });
    expect(warnings).toEqual([
      {
        type: "unsupported",
        feature: "providerOptions.glmImage.style",
        details: "Ignored; glm-image takes userId, quality, watermark",
      },
    ]);
  });

  it("n: 3 is three calls of one image each, three images, each paid once", async () => {
    const result = await generateImage({ model: provider()("glm-image"), prompt: "x", n: 3 });
    expect(result.images).toHaveLength(3);
    expect(metadataOf(result.providerMetadata)).toHaveLength(3);
    expect(sent()).toHaveLength(3);
    expect(await paid()).toBe(3);
  });

  it("input images are an UnsupportedFunctionalityError: ZhiPu's API cannot edit", async () => {
    const attempt = generateImage({
      model: provider()("glm-image"),
      prompt: { text: "make it blue", images: [new Uint8Array([137, 80, 78, 71])] },
    });
    await expect(attempt).rejects.toSatisfy(UnsupportedFunctionalityError.isInstance);
    expect(mock.requests).toEqual([]);
  });

  it("the call's and the provider's headers go with the generation request", async () => {
    const seen: Headers[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    const model = createGlmImage({
      apiKey: mock.apiKey,
      baseURL: mock.baseUrl,
      headers: { "x-team": "docs" },
      fetch: recording,
    })("glm-image");
    await generateImage({ model, prompt: "x", headers: { "x-request": "42" } });
    const [generation] = seen;
    expect(generation?.get("x-team")).toBe("docs");
    expect(generation?.get("x-request")).toBe("42");
    expect(generation?.get("authorization")).toBe(`Bearer ${mock.apiKey}`);
    expect(generation?.get("user-agent")).toMatch(/^ai\/7\./);
  });
});

describe("errors, as the AI SDK expects them", () => {
  it("an upstream failure is an APICallError with the contract's code, not retried when it cannot pass", async () => {
    const attempt = generateImage({ model: provider()("glm-image"), prompt: "[mock:quota] x" });
    await expect(attempt).rejects.toSatisfy(APICallError.isInstance);
    await expect(attempt).rejects.toMatchObject({
      statusCode: 429,
      isRetryable: false,
      url: `${mock.baseUrl}/images/generations`,
      data: { code: "quota_exceeded", upstream_code: "1113" },
      cause: { code: "quota_exceeded" },
    });
    expect(sent()).toHaveLength(1); // one generateImage: the SDK did not retry it
    expect(await paid()).toBe(0);
  });

  it("a rate limit is retryable: the SDK's own retries (maxRetries) pass it", async () => {
    const result = await generateImage({
      model: provider()("glm-image"),
      prompt: "[mock:rate-limit-once] x",
    });
    expect(result.images).toHaveLength(1);
    expect(sent()).toHaveLength(2);
    expect(await paid()).toBe(1);

    mock.reset();
    const attempt = generateImage({
      model: provider()("glm-image"),
      prompt: "[mock:rate-limit-once] y",
      maxRetries: 0,
    });
    await expect(attempt).rejects.toMatchObject({
      isRetryable: true,
      statusCode: 429,
      responseHeaders: { "retry-after-ms": "0" },
      data: { code: "rate_limit_exceeded", upstream_code: "1302" },
    });
    expect(sent()).toHaveLength(1);
  });

  it("a download that fails after paying is not retried: never paid twice, its URL kept", async () => {
    const attempt = generateImage({
      model: provider()("glm-image"),
      prompt: "[mock:broken-url] x",
    });
    await expect(attempt).rejects.toMatchObject({
      isRetryable: false,
      statusCode: 404,
      data: { code: "DOWNLOAD_FAILED", paid_image_urls: [expect.stringContaining("/files/")] },
      message: expect.stringMatching(
        /paid for before it failed: http:\/\/127\.0\.0\.1:\d+\/files\//,
      ),
    });
    expect(await paid()).toBe(1);
  });

  it("several images in one call (maxImagesPerCall above 1): a retryable failure after others were paid is not retried and names them", async () => {
    // After the first image is made, the mock's account hits its rate limit.
    let made = 0;
    const limited: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith("/images/generations") && made++ === 0) {
        mock.scenario({ kind: "rate-limit", retryAfter: 0 });
      }
      return response;
    };
    const model = createGlmImage({ apiKey: mock.apiKey, baseURL: mock.baseUrl, fetch: limited });
    const attempt = generateImage({
      model: model("glm-image"),
      prompt: "x",
      n: 3,
      maxImagesPerCall: 3,
    });
    await expect(attempt).rejects.toMatchObject({
      statusCode: 429,
      isRetryable: false, // asking again would pay again for the first image
      data: { code: "rate_limit_exceeded", paid_image_urls: [expect.stringContaining("/files/")] },
      message: expect.stringMatching(/1 image\(s\) of this call were paid for before it failed/),
    });
    expect(sent()).toHaveLength(2);
    expect(await paid()).toBe(1);
  });

  it("a wrong key is an authentication APICallError that does not show the key", async () => {
    const model = createGlmImage({ apiKey: "wrong-key-123", baseURL: mock.baseUrl })("glm-image");
    const error = await generateImage({ model, prompt: "x" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 401, data: { code: "authentication_error" } });
    expect(JSON.stringify(error)).not.toContain("wrong-key-123");
    expect(String((error as Error).message)).not.toContain("wrong-key-123");
  });

  it("content filter findings on a delivered image are warnings", async () => {
    const result = await generateImage({
      model: provider()("glm-image"),
      prompt: "[mock:content-filter-warning] x",
    });
    expect(result.warnings).toEqual([
      {
        type: "other",
        message:
          "Content filter flagged the user content at level 2 (0 most severe, 3 minor); the image was still generated",
      },
    ]);
    expect(metadataOf(result.providerMetadata)[0]?.contentFilter).toEqual([
      { role: "user", level: 2 },
    ]);
  });

  it("an abort ends the call with the abort, as the AI SDK expects", async () => {
    const controller = new AbortController();
    const attempt = generateImage({
      model: provider()("glm-image"),
      prompt: "[mock:slow=5000] x",
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(attempt).rejects.toMatchObject({ name: "AbortError" });
  });
});
