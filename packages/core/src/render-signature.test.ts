import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import {
  canonicalQuery,
  signedRenderUrl,
  signRenderParams,
  timingSafeEqualText,
  verifyRenderSignature,
} from "./render-signature.ts";

describe("render signatures", () => {
  it("canonicalise by sorting names, encoding, dropping sig and missing values", () => {
    assert.equal(
      canonicalQuery({ size: "1280x1280", prompt: "a cat & a dog", sig: "ff", model: undefined }),
      "prompt=a%20cat%20%26%20a%20dog&size=1280x1280",
    );
  });

  it("sign with hex HMAC-SHA256 of the canonical query", async () => {
    const params = { prompt: "山水", model: "glm-image" };
    const expected = createHmac("sha256", "secret").update(canonicalQuery(params)).digest("hex");
    assert.equal(await signRenderParams(params, "secret"), expected);
  });

  it("verify what they signed, and nothing tampered with", async () => {
    const params = { prompt: "a cat", size: "1280x1280" };
    const signature = await signRenderParams(params, "secret");
    assert.equal(await verifyRenderSignature(params, signature, "secret"), true);
    assert.equal(await verifyRenderSignature(params, signature.toUpperCase(), "secret"), true);
    assert.equal(
      await verifyRenderSignature({ ...params, size: "1568x1056" }, signature, "secret"),
      false,
    );
    assert.equal(await verifyRenderSignature(params, signature, "other"), false);
    assert.equal(await verifyRenderSignature(params, signature.slice(0, 63), "secret"), false);
    assert.equal(await verifyRenderSignature(params, "", "secret"), false);
  });

  it("build a URL whose query verifies", async () => {
    const url = new URL(await signedRenderUrl("https://edge.example/", { prompt: "a b" }, "s"));
    assert.equal(url.pathname, "/render");
    const params = Object.fromEntries(url.searchParams);
    assert.equal(params.prompt, "a b");
    assert.equal(await verifyRenderSignature(params, params.sig ?? "", "s"), true);
  });

  it("compare texts exactly", () => {
    assert.equal(timingSafeEqualText("abc", "abc"), true);
    assert.equal(timingSafeEqualText("abc", "abd"), false);
    assert.equal(timingSafeEqualText("abc", "abcd"), false);
    assert.equal(timingSafeEqualText("", "a"), false);
    assert.equal(timingSafeEqualText("", ""), true);
  });
});
