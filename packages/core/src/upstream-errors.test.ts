import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorFromUpstream, parseRetryAfter } from "./upstream-errors.ts";

const body = (code: string) => ({ error: { code, message: `upstream says ${code}` } });

describe("errorFromUpstream", () => {
  const cases: Array<[number, string, string, boolean]> = [
    [401, "1000", "authentication_error", false],
    [401, "1002", "authentication_error", false],
    [403, "1004", "authentication_error", false],
    [403, "1110", "authentication_error", false],
    [429, "1113", "quota_exceeded", false],
    [429, "1304", "quota_exceeded", false],
    [429, "1308", "quota_exceeded", false],
    [429, "1310", "quota_exceeded", false],
    [400, "1210", "invalid_request", false],
    [400, "1211", "invalid_request", false],
    [400, "1214", "invalid_request", false],
    [400, "1261", "invalid_request", false],
    [400, "1301", "content_filter_violation", false],
    [429, "1302", "rate_limit_exceeded", true],
    [429, "1303", "rate_limit_exceeded", true],
    [429, "1305", "rate_limit_exceeded", true],
    [429, "1312", "rate_limit_exceeded", true],
    [500, "500", "upstream_error", true],
    [503, "9999", "upstream_error", true],
    [404, "404", "invalid_request", false],
  ];
  for (const [status, upstreamCode, code, retryable] of cases) {
    it(`maps HTTP ${status} code ${upstreamCode} to ${code}`, () => {
      const error = errorFromUpstream(status, body(upstreamCode), new Headers());
      assert.equal(error.code, code);
      assert.equal(error.retryable, retryable);
      const { message, ...rest } = error.toJSON();
      assert.deepEqual(rest, {
        code,
        status,
        upstream_code: upstreamCode,
        upstream_message: `upstream says ${upstreamCode}`,
      });
      assert.match(message, /^[\x20-\x7e]+$/, "our message is plain English");
      assert.ok(message.includes(`code ${upstreamCode}`), message);
    });
  }

  it("falls back on the status when the body has no code", () => {
    assert.equal(errorFromUpstream(401, null, new Headers()).code, "authentication_error");
    assert.equal(errorFromUpstream(429, "<html>", new Headers()).code, "rate_limit_exceeded");
    assert.equal(errorFromUpstream(502, {}, new Headers()).code, "upstream_error");
    assert.equal(errorFromUpstream(502, {}, new Headers()).upstreamCode, undefined);
  });

  it("writes the message in English and keeps ZhiPu's words beside it", () => {
    const error = errorFromUpstream(
      429,
      { error: { code: "1302", message: "您当前使用该API的并发数过高，请降低并发" } },
      new Headers(),
    );
    assert.equal(
      error.message,
      "ZhiPu's rate or concurrency limit was reached (HTTP 429, code 1302); try again later",
    );
    assert.equal(error.upstreamMessage, "您当前使用该API的并发数过高，请降低并发");
    const filtered = errorFromUpstream(
      400,
      { error: { code: 1301, message: "敏感" } },
      new Headers(),
    );
    assert.match(filtered.message, /content filter.*rephrase/);
    assert.equal(errorFromUpstream(502, {}, new Headers()).upstreamMessage, undefined);
  });

  it("keeps the Retry-After wait", () => {
    const error = errorFromUpstream(429, body("1302"), new Headers({ "retry-after": "2" }));
    assert.equal(error.retryAfterMs, 2000);
  });
});

describe("parseRetryAfter", () => {
  it("reads retry-after-ms, seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter(new Headers({ "retry-after-ms": "250" })), 250);
    assert.equal(parseRetryAfter(new Headers({ "retry-after": "1.5" })), 1500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    const later = new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" });
    assert.equal(parseRetryAfter(later, now), 5000);
    assert.equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
    assert.equal(parseRetryAfter(new Headers()), undefined);
  });
});
