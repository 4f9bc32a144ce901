import { describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv.ts";

describe("parseDotenv", () => {
  it("reads .dev.vars as dotenv (and so wrangler) does", () => {
    const text = [
      "# a comment",
      "ZHIPU_API_KEY=abc.def",
      "export API_TOKENS = me:secret-token ",
      "MAX_GENERATIONS_PER_DAY=500 # the cap",
      "PUBLIC_BASE_URL='https://images.example.com'",
      'SIGNING_SECRET="line one\\nline two # not a comment"',
      "LOG_LEVEL=`warn`",
      "ALLOWED_ORIGINS=",
      "",
      "ZHIPU_BASE_URL=https://first.example\r",
      "ZHIPU_BASE_URL=https://api.z.ai/api/paas/v4\r",
    ].join("\n");
    expect(parseDotenv(text)).toEqual({
      ZHIPU_API_KEY: "abc.def",
      API_TOKENS: "me:secret-token",
      MAX_GENERATIONS_PER_DAY: "500",
      PUBLIC_BASE_URL: "https://images.example.com",
      SIGNING_SECRET: "line one\nline two # not a comment",
      LOG_LEVEL: "warn",
      ALLOWED_ORIGINS: "",
      ZHIPU_BASE_URL: "https://api.z.ai/api/paas/v4",
    });
  });
});
