import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  isValidSize,
  type ModelName,
  modelNames,
  modelRules,
  nearestRecommendedSize,
  parseSize,
} from "./models.ts";

/** The documented rule, written out independently of the implementation. */
function documentedRule(model: ModelName, width: number, height: number): boolean {
  const glm = model === "glm-image";
  const recommended = glm
    ? ["1280x1280", "1568x1056", "1056x1568", "1472x1088", "1088x1472", "1728x960", "960x1728"]
    : ["1024x1024", "768x1344", "864x1152", "1344x768", "1152x864", "1440x720", "720x1440"];
  if (recommended.includes(`${width}x${height}`)) return true;
  const [min, step, pixels] = glm ? [1024, 32, 4194304] : [512, 16, 2097152];
  const side = (value: number) => value >= min && value <= 2048 && value % step === 0;
  return side(width) && side(height) && width * height <= pixels;
}

describe("size rules", () => {
  it("agree with the documented rule for any WxH and model", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modelNames),
        fc.integer({ min: 0, max: 4096 }),
        fc.integer({ min: 0, max: 4096 }),
        (model, width, height) => {
          assert.equal(isValidSize(model, { width, height }), documentedRule(model, width, height));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("agree on sizes near the boundaries, where mistakes hide", () => {
    const near = fc.constantFrom(496, 512, 528, 1008, 1024, 1040, 2032, 2048, 2064, 960, 1728);
    fc.assert(
      fc.property(fc.constantFrom(...modelNames), near, near, (model, width, height) => {
        assert.equal(isValidSize(model, { width, height }), documentedRule(model, width, height));
      }),
    );
  });

  it("accept every recommended size, including glm-image's 1728x960 and 960x1728", () => {
    for (const model of modelNames) {
      for (const size of modelRules[model].recommendedSizes) {
        const parsed = parseSize(size);
        assert.ok(parsed && isValidSize(model, parsed), `${model} ${size}`);
      }
    }
    assert.ok(isValidSize("glm-image", { width: 960, height: 1728 }));
    assert.equal(isValidSize("glm-image", { width: 960, height: 1760 }), false);
  });

  it("reject the pixel budget even when both sides are in range", () => {
    assert.equal(isValidSize("glm-image", { width: 2048, height: 2048 }), true);
    assert.equal(isValidSize("cogview-4", { width: 2048, height: 2048 }), false);
    assert.equal(isValidSize("cogview-4", { width: 2048, height: 1024 }), true);
  });
});

describe("parseSize", () => {
  it("reads x, X, × and * with spaces around", () => {
    for (const text of ["1568x1056", "1568X1056", "1568×1056", "1568*1056", " 1568 x 1056 "]) {
      assert.deepEqual(parseSize(text), { width: 1568, height: 1056 }, text);
    }
  });

  it("refuses anything else", () => {
    for (const text of [
      "",
      "1568",
      "1568x",
      "x1056",
      "1568-1056",
      "15.5x10",
      "-1x5",
      "1568x1056x2",
    ]) {
      assert.equal(parseSize(text), undefined, text);
    }
  });
});

describe("nearestRecommendedSize", () => {
  it("finds the recommended size of the same aspect ratio", () => {
    assert.equal(nearestRecommendedSize("glm-image", { width: 1536, height: 1024 }), "1568x1056");
    assert.equal(nearestRecommendedSize("glm-image", { width: 1024, height: 1792 }), "960x1728");
    assert.equal(nearestRecommendedSize("glm-image", { width: 256, height: 256 }), "1280x1280");
    assert.equal(nearestRecommendedSize("cogview-4", { width: 1024, height: 1536 }), "864x1152");
  });

  it("takes an aspect ratio as it is written: 16:9, 2:1, 9:16", () => {
    assert.equal(nearestRecommendedSize("glm-image", { width: 16, height: 9 }), "1728x960");
    assert.equal(nearestRecommendedSize("cogview-4", { width: 2, height: 1 }), "1440x720");
    assert.equal(nearestRecommendedSize("cogview-3-flash", { width: 9, height: 16 }), "768x1344");
    assert.equal(nearestRecommendedSize("glm-image", { width: 1, height: 1 }), "1280x1280");
  });

  it("always answers a size valid for the model", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modelNames),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        (model, width, height) => {
          const size = parseSize(nearestRecommendedSize(model, { width, height }));
          assert.ok(size && isValidSize(model, size));
        },
      ),
    );
  });
});
