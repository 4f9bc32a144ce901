import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateImage } from "./generate.ts";
import { missingApiKey } from "./missing-api-key.ts";

describe("missingApiKey", () => {
  it("says what the seed CLI says, and what a face adds when it names its remedy", () => {
    assert.deepEqual(missingApiKey().toJSON(), {
      code: "MISSING_API_KEY",
      message:
        "ZHIPU_API_KEY not configured. Get your API key at: https://bigmodel.cn/usercenter/proj-mgmt/apikeys",
    });
    assert.equal(
      missingApiKey("set the api-key input").message,
      "No ZhiPu API key: set the api-key input. Get your API key at: https://bigmodel.cn/usercenter/proj-mgmt/apikeys",
    );
  });

  it("is what a generation without a key throws, before anything is sent", async () => {
    let sent = 0;
    await assert.rejects(
      generateImage(
        { prompt: "a cat" },
        {
          apiKey: "",
          fetch: async () => {
            sent++;
            return new Response("{}");
          },
        },
      ),
      (error: Error) => error.message === missingApiKey().message,
    );
    assert.equal(sent, 0);
  });
});
