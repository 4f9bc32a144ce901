import { describe, expect, it } from "vitest";
import { requestFromOpenAi } from "./openai.ts";

describe("the OpenAI mapping", () => {
  it("maps OpenAI's sizes the model does not take to its nearest recommended size", () => {
    expect(requestFromOpenAi({ prompt: "x", size: "256x256" }).request.size).toBe("1280x1280");
    expect(requestFromOpenAi({ prompt: "x", size: "512x512" }).request.size).toBe("1280x1280");
    // Valid for the model as it is: sent unchanged.
    expect(requestFromOpenAi({ prompt: "x", size: "1536x1024" }).request.size).toBe("1536x1024");
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
