import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clientCodeOf,
  errorCodes,
  GlmImageError,
  isErrorCode,
  isGlmImageError,
  meaningOf,
  toErrorObject,
} from "./errors.ts";

describe("the error registry", () => {
  it("holds the service's codes beside the generation codes, each with its HTTP meaning", () => {
    assert.deepEqual(meaningOf("unauthorized"), {
      httpStatus: 401,
      type: "authentication_error",
      retryable: false,
      seedCode: "authentication_error",
    });
    assert.equal(meaningOf("not_found").httpStatus, 404);
    assert.equal(meaningOf("payload_too_large").httpStatus, 413);
    assert.equal(meaningOf("idempotency_key_reused").httpStatus, 422);
    assert.equal(meaningOf("INVALID_SIZE").httpStatus, 400);
    assert.equal(meaningOf("upstream_error").httpStatus, 502);
  });

  it("says which codes may pass when sent again", () => {
    const retryable = errorCodes.filter((code) => meaningOf(code).retryable);
    assert.deepEqual(retryable.sort(), [
      "NETWORK_ERROR",
      "TIMEOUT",
      "image_not_stored_yet",
      "rate_limit_exceeded",
      "upstream_error",
    ]);
  });

  it("429s are rate limits, 503s unavailable, and no 5xx is the caller's mistake", () => {
    for (const code of errorCodes) {
      const { httpStatus, type } = meaningOf(code);
      if (httpStatus === 429) assert.equal(type, "rate_limit_error", code);
      if (httpStatus === 503) assert.equal(type, "service_unavailable_error", code);
      if (httpStatus >= 500) assert.notEqual(type, "invalid_request_error", code);
    }
  });

  it("recognises its codes only", () => {
    assert.equal(isErrorCode("not_found"), true);
    assert.equal(isErrorCode("toString"), false);
    assert.equal(isErrorCode("NOT_FOUND"), false);
    assert.equal(isErrorCode(404), false);
  });

  it("a client of the edge reports a refused token as the seed's authentication_error", () => {
    assert.equal(clientCodeOf("unauthorized"), "authentication_error");
    assert.equal(clientCodeOf("forbidden"), "authentication_error");
    assert.equal(clientCodeOf("not_found"), "not_found");
    assert.equal(clientCodeOf("budget_exceeded"), "budget_exceeded");
  });
});

describe("isGlmImageError", () => {
  it("recognises an error of another copy of core, where instanceof does not", async () => {
    const copy = (await import(`./errors.ts?copy=${Date.now()}`)) as typeof import("./errors.ts");
    const theirs = new copy.GlmImageError("not_found", "No such image");
    assert.equal(theirs instanceof GlmImageError, false);
    assert.equal(isGlmImageError(theirs), true);
    assert.deepEqual(toErrorObject(theirs), { code: "not_found", message: "No such image" });
  });

  it("is false for a look-alike without the brand", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "GlmImageError", code: "not_found" });
    assert.equal(isGlmImageError(lookAlike), false);
    assert.equal(isGlmImageError(null), false);
    assert.equal(toErrorObject(lookAlike).code, "upstream_error");
  });
});
