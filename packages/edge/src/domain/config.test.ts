import { DEFAULT_BASE_URL } from "@glm-image/core";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

// wrangler.toml's [vars] give every optional setting "" as its default: "" must read as unset.
const declaredDefaults = {
  ZHIPU_BASE_URL: "",
  PUBLIC_BASE_URL: "",
  MAX_GENERATIONS_PER_DAY: "",
  ALLOWED_ORIGINS: "*",
  LOG_LEVEL: "info",
  RENDER_WAIT_SECONDS: "",
  REQUEST_WAIT_SECONDS: "",
  TASK_GIVE_UP_SECONDS: "",
};

describe("readConfig", () => {
  it('reads the "" defaults of wrangler.toml as unset', () => {
    const config = readConfig({ ...declaredDefaults, ZHIPU_API_KEY: "", SIGNING_SECRET: "" });
    expect(config.ZHIPU_BASE_URL).toBe(DEFAULT_BASE_URL);
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
    expect(config.MAX_GENERATIONS_PER_DAY).toBeUndefined();
    expect(config.ZHIPU_API_KEY).toBeUndefined();
    expect(config.SIGNING_SECRET).toBeUndefined();
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.ALLOWED_ORIGINS).toEqual(["*"]);
  });

  it("keeps the values that are set", () => {
    const config = readConfig({
      ...declaredDefaults,
      ZHIPU_BASE_URL: "https://api.z.ai/api/paas/v4",
      PUBLIC_BASE_URL: "https://images.example.com",
      MAX_GENERATIONS_PER_DAY: "500",
      SIGNING_SECRET: "sixteen-characters",
    });
    expect(config.ZHIPU_BASE_URL).toBe("https://api.z.ai/api/paas/v4");
    expect(config.PUBLIC_BASE_URL).toBe("https://images.example.com");
    expect(config.MAX_GENERATIONS_PER_DAY).toBe(500);
    expect(config.SIGNING_SECRET).toBe("sixteen-characters");
  });

  it("names each setting that is wrong", () => {
    expect(() =>
      readConfig({ ZHIPU_BASE_URL: "127.0.0.1:4010", MAX_GENERATIONS_PER_DAY: "0" }),
    ).toThrow(
      "Invalid settings: ZHIPU_BASE_URL: ZHIPU_BASE_URL must be a URL, e.g. https://api.z.ai/api/paas/v4; MAX_GENERATIONS_PER_DAY: MAX_GENERATIONS_PER_DAY must be a whole number above 0",
    );
  });
});

it("waits 120 s for a POST, 20 s for a /render, and gives a task up after 30 minutes, by default", () => {
  expect(readConfig({})).toMatchObject({
    REQUEST_WAIT_SECONDS: 120,
    RENDER_WAIT_SECONDS: 20,
    TASK_GIVE_UP_SECONDS: 1800,
  });
  expect(readConfig({ REQUEST_WAIT_SECONDS: "", RENDER_WAIT_SECONDS: "5" })).toMatchObject({
    REQUEST_WAIT_SECONDS: 120,
    RENDER_WAIT_SECONDS: 5,
  });
});

it.each(["0", "-1", "1.5", "soon"])(
  "refuses REQUEST_WAIT_SECONDS=%s, naming the setting",
  (value) => {
    expect(() => readConfig({ REQUEST_WAIT_SECONDS: value })).toThrow(
      "Invalid settings: REQUEST_WAIT_SECONDS: REQUEST_WAIT_SECONDS must be a whole number of seconds above 0",
    );
  },
);
