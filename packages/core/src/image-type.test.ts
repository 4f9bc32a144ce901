import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extensionsOf, sniffImageType } from "./image-type.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("sniffImageType", () => {
  it("tells PNG, JPEG and WebP by their magic bytes", () => {
    assert.equal(
      sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))?.extension,
      "png",
    );
    assert.equal(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))?.contentType, "image/jpeg");
    const webp = new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ");
    assert.equal(sniffImageType(webp)?.contentType, "image/webp");
  });

  it("refuses HTML, truncated signatures and RIFF that is not WebP", () => {
    assert.equal(sniffImageType(new TextEncoder().encode("<html>oops</html>")), undefined);
    assert.equal(sniffImageType(bytes(0x89, 0x50, 0x4e)), undefined);
    assert.equal(sniffImageType(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")), undefined);
    assert.equal(sniffImageType(new Uint8Array(0)), undefined);
  });

  it("lists both JPEG extensions", () => {
    assert.deepEqual(extensionsOf({ contentType: "image/jpeg", extension: "jpg" }), [
      "jpg",
      "jpeg",
    ]);
  });
});
