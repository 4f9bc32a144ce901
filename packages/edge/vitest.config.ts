import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { edgeSettings } from "@glm-image/testkit";
import { defineConfig } from "vitest/config";
import { readWorkerSettings } from "./scripts/worker-settings.ts";
import { contractSettings } from "./test/contract-settings.ts";

// The Worker's tests, inside workerd with local R2, Durable Objects and rate limiter. The mock
// upstream runs in Node (globalSetup); its URL reaches the Worker as a binding.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      // Every setting the Worker declares, so that none comes from a .dev.vars or this shell.
      const declared = readWorkerSettings();
      const settings = { ...declared.defaults, ...edgeSettings(inject<string>("mockBaseUrl")) };
      // wrangler checks wrangler.toml's required secrets against process.env (there is no
      // .dev.vars here) and warns about each one missing: they are these bindings.
      for (const name of declared.secrets) process.env[name] = settings[name] ?? "";
      return {
        // The source, not wrangler.toml's built bundle: tests need no build step.
        main: "./src/worker.ts",
        wrangler: { configPath: "../../wrangler.toml" },
        verbose: false,
        miniflare: {
          bindings: { ...settings, ...contractSettings, MOCK_ORIGIN: inject<string>("mockOrigin") },
        },
      };
    }),
  ],
  test: {
    include: ["src/**/*.test.ts", "test/worker/**/*.test.ts"],
    globalSetup: ["./test/mock.global-setup.ts"],
    testTimeout: 30_000,
    silent: "passed-only",
    // The tests count upstream generations on one shared mock: one file at a time.
    fileParallelism: false,
  },
});
