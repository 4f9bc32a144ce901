import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { controlCharacterIn, normalisePrompt } from "./prompt.ts";

describe("normalisePrompt", () => {
  it("makes prompts that read the same one prompt", () => {
    const normal = "\u00c5ngstr\u00f6m lake at dawn";
    for (const spelling of [
      "A\u030angstro\u0308m lake at dawn", // NFD: Å and ö as a letter and a combining mark
      "\u00c5ngstr\u00f6m  lake at dawn", // a doubled space
      "\u00c5ngstr\u00f6m\u00a0lake at dawn", // a no-break space
      "\u00c5ngstr\u00f6m\u3000lake\u2003at\u202fdawn", // ideographic, em and narrow spaces
      "\u00c5ngstr\u00f6m lake\u200b at dawn", // a zero-width space
      "\ufeff\u00c5ngstr\u00f6m lake at\u2060 dawn\u200d", // a BOM, a word joiner, a ZWJ
      "  \u00c5ngstr\u00f6m\tlake \t at dawn \n", // tabs, and white space at the ends
    ]) {
      assert.equal(normalisePrompt(spelling), normal, JSON.stringify(spelling));
    }
  });

  it("keeps line breaks, each written \\n, without spaces around them", () => {
    const normal = "A poster, in two lines:\nOPEN\nDAILY";
    for (const spelling of [
      "A poster, in two lines:\r\nOPEN\r\nDAILY\r\n",
      "A poster, in two lines:  \n  OPEN\t\nDAILY",
      "A poster, in two lines:\u2028OPEN\rDAILY",
    ]) {
      assert.equal(normalisePrompt(spelling), normal, JSON.stringify(spelling));
    }
    assert.equal(normalisePrompt("one\n\ntwo"), "one\n\ntwo");
  });

  it("leaves a normal prompt as it is", () => {
    for (const prompt of [
      "a cat",
      "中国水墨画风格，远山近水，云雾缭绕",
      "caf\u00e9 \u{1f600}",
      "line one\nline two",
    ]) {
      assert.equal(normalisePrompt(prompt), prompt);
    }
  });

  it("is idempotent, on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const once = normalisePrompt(text);
        assert.equal(normalisePrompt(once), once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("controlCharacterIn", () => {
  it("names the first control character that is not white space", () => {
    assert.equal(controlCharacterIn("a\u0000b"), "U+0000");
    assert.equal(controlCharacterIn("a\u001b[31mred"), "U+001B");
    assert.equal(controlCharacterIn("del\u007f"), "U+007F");
    assert.equal(controlCharacterIn("c1 \u0090"), "U+0090");
  });

  it("lets white space and ordinary text through", () => {
    for (const prompt of ["a\tb\nc\r\nd\u000b\u000c\u0085", "中文 \u00a0\u3000", "\u200b"]) {
      assert.equal(controlCharacterIn(prompt), undefined, JSON.stringify(prompt));
    }
  });
});
