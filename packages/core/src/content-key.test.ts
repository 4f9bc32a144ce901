import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type ContentKeyInput, contentKey } from "./content-key.ts";
import { normalisePrompt } from "./prompt.ts";
import { parseGenerationRequest } from "./schemas.ts";

/** Valid requests as parseGenerationRequest makes them: normal prompts, each model's own rules. */
const requestArbitrary = fc
  .record({
    model: fc.constantFrom("glm-image", "cogview-4", "cogview-4-250304", "cogview-3-flash"),
    prompt: fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
      .filter((prompt) => normalisePrompt(prompt) === prompt && prompt !== ""),
    size: fc.constantFrom("1280x1280", "1568x1056", "1088x1472", "1728x960"),
    quality: fc.constantFrom("hd", "standard"),
    watermark_enabled: fc.boolean(),
  })
  .filter((request) => request.model !== "glm-image" || request.quality === "hd")
  .map((request) => parseGenerationRequest(request));

/** The documented key: SHA-256 hex of the canonical JSON array. */
const sha256Of = (canonical: unknown[]) =>
  createHash("sha256").update(JSON.stringify(canonical)).digest("hex");

describe("contentKey", () => {
  it("is the SHA-256 of the documented canonical form, so stored keys never move", async () => {
    const key = await contentKey(parseGenerationRequest({ prompt: "a cat" }));
    assert.equal(key, sha256Of(["glm-image/v1", "glm-image", "a cat", "1280x1280", "hd", true]));
  });

  it("keeps the keys that stored images already have (computed before prompt normalisation)", async () => {
    const pinned: Array<[Record<string, unknown>, number, string]> = [
      [{ prompt: "a cat" }, 0, "25b9df283eca2e69cc39b1042051cac223ad4ef57453a997664259f88fc48a30"],
      [
        { prompt: "中国水墨画风格，远山近水，云雾缭绕", size: "1568×1056" },
        0,
        "05dd4f7b88c0b7b116784b595674adc0534e2b1e3cbb452719d549cc0a72b2f7",
      ],
      [
        {
          prompt: "a lighthouse at dusk, oil painting",
          model: "cogview-4",
          quality: "hd",
          watermark_enabled: false,
        },
        0,
        "bf33b356555cc219df5f08bd8af983ffab4d56338a40f634b78d7eefc99c596a",
      ],
      [
        {
          prompt: "\u00c5 caf\u00e9 \u2014 na\u00efve \u{1f600}",
          model: "cogview-3-flash",
          size: "768x1344",
        },
        0,
        "38c4a1a100773f8de5e41f1cd984dda72f0ddf8e4f4f79889ff16fbc84722c92",
      ],
      [{ prompt: "a cat" }, 2, "68d30d0148e8b86822647ab069b0c7d610d05bfcc200e263416f503612b60bf4"],
      [
        { prompt: "A poster, in two lines:\nOPEN\nDAILY" },
        0,
        "3db7ec83761339af59c21282c0874f21fd9dd648b79053057cbfb5892c2a7e3f",
      ],
    ];
    for (const [input, variant, key] of pinned) {
      const request = parseGenerationRequest(input);
      assert.equal(await contentKey({ ...request, variant }), key, JSON.stringify(input));
    }
  });

  it("gives each variant past the first its own key, and variant 0 today's key", async () => {
    const request = parseGenerationRequest({ prompt: "a cat" });
    const first = await contentKey(request);
    assert.equal(await contentKey({ ...request, variant: 0 }), first);
    const second = await contentKey({ ...request, variant: 1 });
    const third = await contentKey({ ...request, variant: 2 });
    assert.notEqual(second, first);
    assert.notEqual(third, second);
    const canonical = ["glm-image/v1", "glm-image", "a cat", "1280x1280", "hd", true, 1];
    assert.equal(second, sha256Of(canonical));
  });

  it("is stable for equal requests, however they were written", async () => {
    const first = await contentKey(
      parseGenerationRequest({ prompt: " a cat ", size: "1568×1056" }),
    );
    const second = await contentKey(
      parseGenerationRequest({
        prompt: "a cat",
        size: "1568x1056",
        quality: "hd",
        user_id: "someone",
      }),
    );
    assert.equal(first, second);
  });

  it("differs whenever any field that decides the image differs", async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, requestArbitrary, async (first, second) => {
        const same = JSON.stringify(first) === JSON.stringify(second);
        assert.equal((await contentKey(first)) === (await contentKey(second)), same);
      }),
      { numRuns: 300 },
    );
  });

  it("gives prompts that read the same one key", async () => {
    const normal = await contentKey(parseGenerationRequest({ prompt: "\u00c5 cat" }));
    for (const prompt of [
      "A\u030a cat",
      "\u00c5  cat",
      "\u00c5\u00a0cat",
      "\u00c5 \u200bcat",
      "\u00c5\tcat ",
    ]) {
      assert.equal(
        await contentKey(parseGenerationRequest({ prompt })),
        normal,
        JSON.stringify(prompt),
      );
    }
  });

  it("parses what was not parsed (a copy, a plain object from JavaScript) to the same key", async () => {
    const request = parseGenerationRequest({ prompt: "a cat", size: "1280x1280" });
    const normalised = await contentKey(request);
    assert.equal(await contentKey({ ...request }), normalised);
    const plain = (input: Record<string, unknown>) => input as unknown as ContentKeyInput;
    for (const raw of [
      { prompt: "a cat", size: "1280×1280" },
      { prompt: "a cat", size: "1280X1280" },
      { prompt: "a cat", size: "1280*1280" },
      { prompt: " a cat " },
      { prompt: "a cat", model: "glm-image", quality: "hd", watermark_enabled: true },
    ]) {
      assert.equal(await contentKey(plain(raw)), normalised, JSON.stringify(raw));
    }
    const cogview = await contentKey(parseGenerationRequest({ prompt: "a", model: "cogview-4" }));
    assert.equal(await contentKey(plain({ prompt: "a", model: "cogview-4" })), cogview);
    await assert.rejects(contentKey({ ...request, quality: "standard" }), {
      code: "INVALID_QUALITY",
    });
  });

  it("cannot be confused by separators inside the prompt", async () => {
    const first = await contentKey(parseGenerationRequest({ prompt: 'a","glm-image' }));
    const second = await contentKey(parseGenerationRequest({ prompt: "a" }));
    assert.notEqual(first, second);
  });
});
