import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { placeholderPng } from "./png.ts";

/** The raw rows of a PNG made by png.ts (one IDAT chunk). */
function rowsOf(png: Buffer): Buffer {
  const length = png.readUInt32BE(33);
  assert.equal(png.subarray(37, 41).toString("ascii"), "IDAT");
  return inflateSync(png.subarray(41, 41 + length));
}

describe("placeholderPng", () => {
  it("is deterministic, and writes the prompt's words on it", () => {
    const first = placeholderPng(320, 200, "seed", ["a red fox"]);
    assert.ok(first.equals(placeholderPng(320, 200, "seed", ["a red fox"])));
    assert.ok(!first.equals(placeholderPng(320, 200, "seed", ["a blue fox"])));
    assert.equal(first.readUInt32BE(16), 320);
    assert.equal(first.readUInt32BE(20), 200);
  });

  it("draws white text on a dark band across the middle", () => {
    const raw = rowsOf(placeholderPng(320, 200, "seed", ["hello"]));
    const stride = 320 * 3 + 1;
    const middle = raw.subarray(100 * stride + 1, 101 * stride);
    const colours = new Set<string>();
    for (let x = 0; x < 320; x++) colours.add(middle.subarray(x * 3, x * 3 + 3).join(","));
    assert.ok(colours.has("17,24,39"), "the band");
    const white = [...Array(200).keys()].some((y) => {
      const row = raw.subarray(y * stride + 1, (y + 1) * stride);
      return [...Array(320).keys()].some(
        (x) => row[x * 3] === 255 && row[x * 3 + 1] === 255 && row[x * 3 + 2] === 255,
      );
    });
    assert.ok(white, "the letters");
  });
});
