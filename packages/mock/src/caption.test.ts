import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { captionLines, contentKeyOf } from "./caption.ts";

const key = "10bf4e70f9d9ad9a3e33af7fb6a2b3ce666a8372d19228e4196b6c5e522a1228";

describe("captionLines", () => {
  it("writes the first words of a prompt the font can draw", () => {
    assert.deepEqual(
      captionLines("A lighthouse at dusk, (watercolour)", { key, size: "1280x1280" }),
      ["A lighthouse at", "dusk,", "(watercolour)"],
    );
    assert.deepEqual(captionLines("[mock:slow=1500] a fox", { key, size: "1280x1280" }), [
      "[mock:slow=1500] a",
      "fox",
    ]);
  });

  it("writes the content key and the size when the font lacks a character", () => {
    for (const prompt of ["中国水墨画风格，远山近水", "a cat 猫", "café au lait", "🦊"]) {
      assert.deepEqual(
        captionLines(prompt, { key, size: "1568x1056" }),
        ["KEY 10bf4e70", "1568x1056"],
        prompt,
      );
    }
  });
});

describe("contentKeyOf", () => {
  it("is glm-image's documented content key of the request", () => {
    // The values core's contentKey gives these requests (packages/core/src/content-key.ts).
    assert.equal(
      contentKeyOf({
        model: "glm-image",
        prompt: "  中国水墨画风格，远山近水 ",
        size: "1280x1280",
        quality: "hd",
        watermark_enabled: true,
      }),
      key,
    );
    assert.equal(
      contentKeyOf({
        model: "cogview-4",
        prompt: "a red fox",
        size: "1024x1024",
        quality: "standard",
        watermark_enabled: false,
      }),
      "e67f33fa9d7022834904c42161432b8fd24931ae6392a237bb1623f82693b092",
    );
  });
});
