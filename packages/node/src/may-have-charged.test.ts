import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GlmImageError } from "@glm-image/core";
import { mayHaveCharged } from "./may-have-charged.ts";

const network = (code: string) =>
  new GlmImageError("NETWORK_ERROR", "Network error", {
    cause: new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) }),
  });

describe("mayHaveCharged", () => {
  it("no: answers that prove no charge", () => {
    for (const error of [
      new GlmImageError("INVALID_SIZE", "bad size"),
      new GlmImageError("MISSING_API_KEY", "no key"),
      new GlmImageError("rate_limit_exceeded", "busy", { status: 429, upstreamCode: "1302" }),
      new GlmImageError("quota_exceeded", "empty", { status: 429, upstreamCode: "1113" }),
      new GlmImageError("upstream_error", "down", { status: 503, upstreamCode: "500" }),
      network("ECONNREFUSED"),
      network("ENOTFOUND"),
    ]) {
      assert.equal(mayHaveCharged(error), false, error.message);
    }
  });

  it("yes: anything after the request may have left", () => {
    for (const error of [
      new GlmImageError("upstream_error", "unreadable", { status: 200 }),
      new GlmImageError("upstream_error", "a gateway's page", { status: 502 }),
      new GlmImageError("TIMEOUT", "no answer"),
      network("ECONNRESET"),
      new GlmImageError("NETWORK_ERROR", "Network error"),
      new DOMException("aborted", "AbortError"),
      new Error("something else"),
    ]) {
      assert.equal(mayHaveCharged(error), true, String(error));
    }
  });
});
