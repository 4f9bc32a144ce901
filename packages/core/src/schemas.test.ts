import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GlmImageError } from "./errors.ts";
import { asGenerationRequest, parseGenerationRequest } from "./schemas.ts";

function failure(input: unknown): GlmImageError {
  try {
    parseGenerationRequest(input);
  } catch (error) {
    assert.ok(error instanceof GlmImageError);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe("parseGenerationRequest", () => {
  it("applies glm-image's defaults", () => {
    assert.deepEqual(parseGenerationRequest({ prompt: "a cat" }), {
      model: "glm-image",
      prompt: "a cat",
      size: "1280x1280",
      quality: "hd",
      watermark_enabled: true,
    });
  });

  it("applies cogview's defaults", () => {
    const request = parseGenerationRequest({ prompt: "a cat", model: "cogview-3-flash" });
    assert.equal(request.size, "1024x1024");
    assert.equal(request.quality, "standard");
  });

  it("trims the prompt and normalises the size", () => {
    const request = parseGenerationRequest({ prompt: "  山水画 \n", size: " 1568 × 1056 " });
    assert.equal(request.prompt, "山水画");
    assert.equal(request.size, "1568x1056");
  });

  it("sends one spelling of a prompt: NFC, one space for any run of spaces, no zero-width characters", () => {
    const request = parseGenerationRequest({
      prompt: " A\u030a\u00a0cat\u200b\t napping \r\n  dreaming  ",
    });
    assert.equal(request.prompt, "\u00c5 cat napping\ndreaming");
  });

  it("refuses control characters as INVALID_PROMPT, naming the first", () => {
    for (const prompt of ["a\u0000cat", "\u001b[2Ja cat", "a cat\u007f"]) {
      const error = failure({ prompt });
      assert.equal(error.code, "INVALID_PROMPT", JSON.stringify(prompt));
      assert.equal(error.param, "prompt");
      assert.match(
        error.message,
        /^prompt must not contain control characters \(it has U\+00[0-9A-F]{2}\)$/,
      );
    }
  });

  it("calls a prompt of zero-width characters empty", () => {
    assert.match(failure({ prompt: "\u200b\ufeff \u2060" }).message, /^prompt must not be empty$/);
  });

  it("keeps watermark and user_id, and drops unknown fields", () => {
    const request = parseGenerationRequest({
      prompt: "x",
      watermark_enabled: false,
      user_id: "user_12345",
      style: "vivid",
    });
    assert.equal(request.watermark_enabled, false);
    assert.equal(request.user_id, "user_12345");
    assert.equal("style" in request, false);
  });

  it("counts the prompt in characters, up to 1000 after normalising", () => {
    assert.equal(
      parseGenerationRequest({ prompt: `  ${"字".repeat(1000)}  ` }).prompt.length,
      1000,
    );
    const spaced = `${"字 ".repeat(500)}`.replace(/ /g, "\u3000\u200b ");
    assert.equal(parseGenerationRequest({ prompt: spaced }).prompt.length, 999);
    const tooLong = failure({ prompt: "字".repeat(1001) });
    assert.equal(tooLong.code, "INVALID_PROMPT");
    assert.match(tooLong.message, /1000/);
  });

  it("rejects a missing, blank or non-string prompt with INVALID_PROMPT", () => {
    for (const input of [{}, { prompt: "   " }, { prompt: 42 }, null, "a cat"]) {
      assert.equal(failure(input).code, "INVALID_PROMPT", JSON.stringify(input));
    }
  });

  it("rejects an unknown model with the list of models", () => {
    const error = failure({ prompt: "x", model: "dall-e-3" });
    assert.equal(error.code, "INVALID_MODEL");
    assert.match(error.message, /glm-image, cogview-4, cogview-4-250304, cogview-3-flash/);
  });

  it("rejects a bad size with the model's rule and its recommended sizes", () => {
    const error = failure({ prompt: "x", size: "512x512" });
    assert.equal(error.code, "INVALID_SIZE");
    assert.match(error.message, /512x512/);
    assert.match(error.message, /1024-2048px/);
    assert.match(error.message, /multiples of 32/);
    assert.match(error.message, /1568x1056/);
    assert.equal(failure({ prompt: "x", size: "big" }).code, "INVALID_SIZE");
  });

  it("accepts for cogview a size glm-image refuses", () => {
    assert.equal(
      parseGenerationRequest({ prompt: "x", model: "cogview-4", size: "768x1344" }).size,
      "768x1344",
    );
    assert.equal(failure({ prompt: "x", size: "768x1344" }).code, "INVALID_SIZE");
  });

  it("reads the social preset as the model's nearest valid 2:1 size", () => {
    assert.equal(parseGenerationRequest({ prompt: "x", size: "social" }).size, "2048x1024");
    assert.equal(parseGenerationRequest({ prompt: "x", size: " Social " }).size, "2048x1024");
    for (const model of ["cogview-4", "cogview-4-250304", "cogview-3-flash"]) {
      assert.equal(parseGenerationRequest({ prompt: "x", model, size: "social" }).size, "1280x640");
    }
    assert.equal(failure({ prompt: "x", size: "socials" }).code, "INVALID_SIZE");
  });

  it("refuses quality standard on glm-image but takes it on cogview", () => {
    const error = failure({ prompt: "x", quality: "standard" });
    assert.equal(error.code, "INVALID_QUALITY");
    assert.match(error.message, /hd/);
    assert.equal(failure({ prompt: "x", quality: "ultra" }).code, "INVALID_QUALITY");
    assert.equal(
      parseGenerationRequest({ prompt: "x", model: "cogview-4", quality: "hd" }).quality,
      "hd",
    );
  });

  it("checks user_id is 6 to 128 characters", () => {
    assert.equal(failure({ prompt: "x", user_id: "12345" }).code, "INVALID_USER_ID");
    assert.equal(failure({ prompt: "x", user_id: "u".repeat(129) }).code, "INVALID_USER_ID");
    assert.equal(
      parseGenerationRequest({ prompt: "x", user_id: "u".repeat(128) }).user_id?.length,
      128,
    );
  });

  it("names the field at fault in param, the field its code is about", () => {
    assert.equal(failure({ prompt: "" }).param, "prompt");
    assert.equal(failure({ prompt: "x", size: "100x100" }).param, "size");
    assert.equal(failure({ prompt: "x", quality: "ultra" }).param, "quality");
    assert.equal(failure({ prompt: "x", model: "dalle" }).param, "model");
    assert.equal(failure({ prompt: "x", user_id: "12345" }).param, "user_id");
  });
});

describe("asGenerationRequest", () => {
  it("recognises a parsed request and answers it as it is", () => {
    const request = parseGenerationRequest({ prompt: "a cat", size: "1568×1056" });
    assert.equal(asGenerationRequest(request), request);
    assert.ok(Object.isFrozen(request));
  });

  it("parses anything else: a plain object, a copy", () => {
    const request = parseGenerationRequest({ prompt: "a cat" });
    assert.deepEqual(asGenerationRequest({ prompt: " a  cat " }), request);
    const copy = { ...request };
    assert.notEqual(asGenerationRequest(copy), copy);
    assert.deepEqual(asGenerationRequest(copy), request);
    assert.throws(() => asGenerationRequest({ ...request, quality: "standard" }), {
      code: "INVALID_QUALITY",
    });
  });

  it("marks a parsed request without changing what is sent", () => {
    const request = parseGenerationRequest({ prompt: "a cat", user_id: "user_12345" });
    assert.deepEqual(Object.keys(request), [
      "model",
      "prompt",
      "size",
      "quality",
      "watermark_enabled",
      "user_id",
    ]);
    assert.equal(
      JSON.stringify(request),
      '{"model":"glm-image","prompt":"a cat","size":"1280x1280","quality":"hd","watermark_enabled":true,"user_id":"user_12345"}',
    );
  });
});
