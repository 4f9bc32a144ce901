import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_BASE_URL, validateBaseUrl } from "./base-url.ts";
import { GlmImageError } from "./errors.ts";

function refusal(value: string): GlmImageError {
  try {
    validateBaseUrl(value);
  } catch (error) {
    assert.ok(error instanceof GlmImageError);
    assert.equal(error.code, "INVALID_BASE_URL");
    assert.equal(error.param, "ZHIPU_BASE_URL");
    return error;
  }
  assert.fail(`expected ${value} to be refused`);
}

describe("validateBaseUrl", () => {
  it("takes http and https URLs, without their trailing slashes; nothing means the default", () => {
    assert.equal(validateBaseUrl("https://api.z.ai/api/paas/v4/"), "https://api.z.ai/api/paas/v4");
    assert.equal(
      validateBaseUrl(" http://127.0.0.1:4011/api/paas/v4 "),
      "http://127.0.0.1:4011/api/paas/v4",
    );
    assert.equal(validateBaseUrl(undefined), DEFAULT_BASE_URL);
    assert.equal(validateBaseUrl(""), DEFAULT_BASE_URL);
  });

  it("refuses a URL without a scheme, naming the setting and the likely fix", () => {
    assert.equal(
      refusal("127.0.0.1:4011/api/paas/v4").message,
      'ZHIPU_BASE_URL must be an http:// or https:// URL such as https://open.bigmodel.cn/api/paas/v4; "127.0.0.1:4011/api/paas/v4" has no scheme (did you mean http://127.0.0.1:4011/api/paas/v4?)',
    );
    assert.match(
      refusal("localhost:4011/api").message,
      /did you mean http:\/\/localhost:4011\/api\?/,
    );
    assert.match(
      refusal("open.bigmodel.cn/api/paas/v4").message,
      /did you mean https:\/\/open\.bigmodel\.cn/,
    );
  });

  it("refuses other schemes, URLs that cannot be read, a query or a fragment", () => {
    assert.match(refusal("ftp://example.com/v4").message, /its scheme is ftp$/);
    assert.match(refusal("https://").message, /not a URL that can be read$/);
    assert.match(refusal("https://example.com/v4?key=1").message, /no query or fragment$/);
  });

  it("never shows a user or password written into the URL", () => {
    for (const value of [
      "user:hunter2@127.0.0.1:4011/v4",
      "ftp://user:hunter2@example.com/v4",
      "https://user:hunter2@example.com/v4#x",
    ]) {
      assert.doesNotMatch(refusal(value).message, /hunter2/, value);
    }
  });
});
