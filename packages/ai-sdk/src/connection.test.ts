import { LoadAPIKeyError, LoadSettingError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { resolveConnection } from "./connection.ts";

const edgeEnv = { GLM_IMAGE_EDGE_URL: "https://images.example", GLM_IMAGE_EDGE_TOKEN: "t-env" };

describe("where a call goes", () => {
  it("straight to ZhiPu with a key: the setting, else ZHIPU_API_KEY; ZHIPU_BASE_URL, else ZhiPu's", () => {
    expect(resolveConnection({}, { ZHIPU_API_KEY: "k" })).toEqual({
      kind: "zhipu",
      apiKey: "k",
      baseUrl: "https://open.bigmodel.cn/api/paas/v4",
    });
    expect(
      resolveConnection(
        { apiKey: "mine", baseURL: "https://api.z.ai/api/paas/v4" },
        { ZHIPU_API_KEY: "k", ZHIPU_BASE_URL: "http://ignored" },
      ),
    ).toEqual({ kind: "zhipu", apiKey: "mine", baseUrl: "https://api.z.ai/api/paas/v4" });
  });

  it("through an edge with edgeToken at baseURL, or both GLM_IMAGE_EDGE_* when nothing else is set", () => {
    expect(resolveConnection({ baseURL: "https://e.example", edgeToken: "t" }, {})).toEqual({
      kind: "edge",
      edgeUrl: "https://e.example",
      token: "t",
    });
    expect(resolveConnection({}, { ...edgeEnv, ZHIPU_API_KEY: "k" })).toMatchObject({
      kind: "edge",
      token: "t-env",
    });
    // An explicit ZhiPu setting wins over the environment's edge.
    expect(resolveConnection({ apiKey: "k" }, edgeEnv)).toMatchObject({ kind: "zhipu" });
    expect(resolveConnection({}, { GLM_IMAGE_EDGE_TOKEN: "t", ZHIPU_API_KEY: "k" })).toMatchObject({
      kind: "zhipu",
    });
  });

  it("says what is missing, with the AI SDK's setting errors", () => {
    expect(() => resolveConnection({}, {})).toThrow(LoadAPIKeyError);
    expect(() => resolveConnection({}, {})).toThrow(/ZHIPU_API_KEY/);
    expect(() => resolveConnection({ edgeToken: "t" }, {})).toThrow(LoadSettingError);
    expect(() => resolveConnection({ edgeToken: "t" }, {})).toThrow(/GLM_IMAGE_EDGE_URL/);
  });
});
