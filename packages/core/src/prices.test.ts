import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelNames } from "./models.ts";
import { estimateCost, prices } from "./prices.ts";

describe("prices", () => {
  it("has a price for every model", () => {
    assert.deepEqual(Object.keys(prices).sort(), [...modelNames].sort());
  });

  it("sums the list prices without float noise", () => {
    assert.deepEqual(estimateCost(["glm-image", "glm-image", "glm-image"]), {
      cny: 0.3,
      usd: 0.045,
    });
    assert.deepEqual(estimateCost(["cogview-4", "cogview-3-flash"]), { cny: 0.06, usd: 0.01 });
    assert.deepEqual(estimateCost([]), { cny: 0, usd: 0 });
  });
});
