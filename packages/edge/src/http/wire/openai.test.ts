import { describe, expect, it } from "vitest";
import { nearestSize, requestFromOpenAi } from "./openai.ts";

describe("the OpenAI mapping", () => {
  it("finds the recommended size of the same aspect ratio", () => {
    expect(nearestSize("glm-image", { width: 1536, height: 1024 })).toBe("1568x1056");
    expect(nearestSize("glm-image", { width: 1024, height: 1792 })).toBe("960x1728");
    expect(nearestSize("glm-image", { width: 256, height: 256 })).toBe("1280x1280");
    expect(nearestSize("cogview-4", { width: 1024, height: 1536 })).toBe("864x1152");
  });

  it("keeps ZhiPu's own values and rules", () => {
    expect(requestFromOpenAi({ prompt: "x", size: "1568x1056" }).request.size).toBe("1568x1056");
    expect(() => requestFromOpenAi({ prompt: "x", size: "1000x1000" })).toThrow(/multiples of 32/);
    expect(
      requestFromOpenAi({ prompt: "x", model: "cogview-4", quality: "hd" }).request.quality,
    ).toBe("hd");
  });

  it("counts n from 1 to 4", () => {
    expect(requestFromOpenAi({ prompt: "x" }).n).toBe(1);
    expect(requestFromOpenAi({ prompt: "x", n: 4 }).n).toBe(4);
    expect(() => requestFromOpenAi({ prompt: "x", n: 5 })).toThrow(/n must be 1 to 4/);
  });
});
