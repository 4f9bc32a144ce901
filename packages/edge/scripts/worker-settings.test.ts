import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unstable_getVarsForDev, unstable_readConfig } from "wrangler";
import { configSchema } from "../src/domain/config.ts";
import { readWorkerSettings, root, settingNames, wranglerDevSettings } from "./worker-settings.ts";

const configPath = join(root, "wrangler.toml");
const declared = readWorkerSettings(configPath);
const names = settingNames(declared);

describe("wrangler.toml", () => {
  it("declares every setting the Worker reads, and only those", () => {
    expect([...names].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it("keeps the keys and the signing secret secret, and gives the rest defaults", () => {
    expect(declared.secrets.sort()).toEqual(["API_TOKENS", "SIGNING_SECRET", "ZHIPU_API_KEY"]);
    expect(declared.defaults).toEqual({
      ZHIPU_BASE_URL: "",
      PUBLIC_BASE_URL: "",
      MAX_GENERATIONS_PER_DAY: "",
      ALLOWED_ORIGINS: "*",
      LOG_LEVEL: "info",
      RENDER_WAIT_SECONDS: "",
      REQUEST_WAIT_SECONDS: "",
      TASK_GIVE_UP_SECONDS: "",
    });
  });
});

describe("wranglerDevSettings", () => {
  // wrangler's getVarsForDev reads process.env too (and lets it win): none of the names here.
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of names) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value !== undefined) process.env[name] = value;
    }
  });

  it("hands every value to the Worker verbatim, as wrangler dev reads them", () => {
    const values = {
      ZHIPU_API_KEY: `abc.def-$HOME-$\{PATH}-\\$-end\\`,
      API_TOKENS: "me:it's #1, `you`:two",
      SIGNING_SECRET: 'a "quoted" $ecret with spaces # and a hash',
      ZHIPU_BASE_URL: "http://127.0.0.1:4010/api/paas/v4",
      PUBLIC_BASE_URL: "https://images.example.com",
      MAX_GENERATIONS_PER_DAY: "7",
      ALLOWED_ORIGINS: "https://a.example,https://b.example",
      LOG_LEVEL: "warn",
      RENDER_WAIT_SECONDS: "15",
      REQUEST_WAIT_SECONDS: "90",
      TASK_GIVE_UP_SECONDS: "600",
    };
    const settings = wranglerDevSettings(values, {}, declared);
    try {
      const config = unstable_readConfig({ config: configPath }, { hideWarnings: true });
      const file = settings.args[1] ?? "";
      expect(settings.args).toEqual(["--env-file", file]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const bindings = unstable_getVarsForDev(
        configPath,
        [file],
        config.vars,
        undefined,
        true,
        config.secrets,
      );
      const received = Object.fromEntries(
        Object.entries(bindings).map(([name, binding]) => [
          name,
          (binding as { value: string }).value,
        ]),
      );
      expect(received).toEqual(values);
      expect(readFileSync(file, "utf8")).not.toContain("\n\n");
    } finally {
      settings.remove();
    }
  });

  it("gives wrangler an environment with no setting in it", () => {
    const settings = wranglerDevSettings(
      { API_TOKENS: "dev-token" },
      {
        PATH: "/usr/bin",
        ZHIPU_BASE_URL: "https://stray.example",
        LOG_LEVEL: "error",
        CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      },
      declared,
    );
    settings.remove();
    expect(settings.environment).toEqual({ PATH: "/usr/bin" });
  });

  it("refuses a name the Worker does not declare: it would never reach it", () => {
    expect(() => wranglerDevSettings({ S3_BUCKET: "images" }, {}, declared)).toThrow(
      "Not settings of the Worker (declare them in wrangler.toml): S3_BUCKET",
    );
  });
});
