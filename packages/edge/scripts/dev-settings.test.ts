import { describe, expect, it } from "vitest";
import { describeSettings, resolveDevSettings, settingValues } from "./dev-settings.ts";
import type { WorkerSettings } from "./worker-settings.ts";

const declared: WorkerSettings = {
  secrets: ["ZHIPU_API_KEY", "SIGNING_SECRET"],
  defaults: { ZHIPU_BASE_URL: "", ALLOWED_ORIGINS: "*", MAX_GENERATIONS_PER_DAY: "" },
};

describe("resolveDevSettings", () => {
  it("takes the environment, then .dev.vars, then wrangler.toml; lists what is not a setting", () => {
    const { settings, unknown } = resolveDevSettings(
      declared,
      { ZHIPU_API_KEY: "from-the-shell", ALLOWED_ORIGINS: "", HOME: "/home/me" },
      { ZHIPU_API_KEY: "from-dev-vars", MAX_GENERATIONS_PER_DAY: "3", S3_BUCKET: "images" },
    );
    expect(Object.fromEntries(settings)).toEqual({
      ZHIPU_API_KEY: { value: "from-the-shell", source: "environment" },
      SIGNING_SECRET: { value: "", source: "wrangler.toml" },
      ZHIPU_BASE_URL: { value: "", source: "wrangler.toml" },
      ALLOWED_ORIGINS: { value: "*", source: "wrangler.toml" },
      MAX_GENERATIONS_PER_DAY: { value: "3", source: ".dev.vars" },
    });
    expect(unknown).toEqual(["S3_BUCKET"]);
    expect(settingValues(settings)).toEqual({
      ZHIPU_API_KEY: "from-the-shell",
      ALLOWED_ORIGINS: "*",
      MAX_GENERATIONS_PER_DAY: "3",
    });
  });
});

describe("describeSettings", () => {
  it("shows every setting and its source, never a secret's value", () => {
    const { settings } = resolveDevSettings(
      declared,
      {},
      { ZHIPU_API_KEY: "a-real-key", MAX_GENERATIONS_PER_DAY: "3" },
    );
    expect(describeSettings(settings, declared)).toEqual([
      "    ZHIPU_API_KEY=[set]        (.dev.vars)",
      "    SIGNING_SECRET unset       (wrangler.toml)",
      "    ZHIPU_BASE_URL unset       (wrangler.toml)",
      "    ALLOWED_ORIGINS=*          (wrangler.toml)",
      "    MAX_GENERATIONS_PER_DAY=3  (.dev.vars)",
    ]);
  });
});
