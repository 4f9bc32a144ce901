// @glm-image/core as a JavaScript caller meets it: the built package (dist, by its name), no
// TypeScript, no parse step of our own, against the mock upstream.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contentKey, GlmImageError, generateImage, generateImageAsync } from "@glm-image/core";
import { startMockServer } from "@glm-image/mock";

let mock;
before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());

const options = () => ({ apiKey: mock.apiKey, baseUrl: mock.baseUrl });

describe("@glm-image/core from plain JavaScript", () => {
  it("generateImage({ prompt, size }) returns an image, the defaults applied", async () => {
    const result = await generateImage(
      { prompt: "中国水墨画风格，远山近水", size: "1728×960" },
      options(),
    );
    assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/files\//);
    assert.equal((await fetch(result.url)).headers.get("content-type"), "image/png");
    assert.deepEqual(mock.requests.at(-1).body, {
      model: "glm-image",
      prompt: "中国水墨画风格，远山近水",
      size: "1728x960",
      quality: "hd",
      watermark_enabled: true,
    });
    assert.equal(
      await contentKey(result.request),
      await contentKey({ prompt: " 中国水墨画风格，远山近水 ", size: "1728x960" }),
    );
  });

  it("generateImageAsync({ prompt }) returns an image", async () => {
    const result = await generateImageAsync(
      { prompt: "a lighthouse" },
      { ...options(), pollIntervalMs: 1 },
    );
    assert.match(result.url, /\/files\//);
  });

  it("refuses bad input as INVALID_* before any call", async () => {
    const before = mock.requests.length;
    await assert.rejects(
      generateImage({ prompt: "a cat", quality: "standard" }, options()),
      (error) => {
        assert.ok(error instanceof GlmImageError);
        assert.equal(error.code, "INVALID_QUALITY");
        return true;
      },
    );
    await assert.rejects(generateImage({ size: "1280x1280" }, options()), {
      code: "INVALID_PROMPT",
    });
    assert.equal(mock.requests.length, before);
  });
});
