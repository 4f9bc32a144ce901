import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { contractSettings } from "./test/contract-settings.ts";

// The Worker's tests, inside workerd with local R2, Durable Objects and rate limiter. The mock
// upstream runs in Node (globalSetup); its URL reaches the Worker as a binding.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      // The source, not wrangler.toml's built bundle: tests need no build step.
      main: "./src/worker.ts",
      wrangler: { configPath: "../../wrangler.toml" },
      miniflare: {
        bindings: {
          ZHIPU_API_KEY: "test-key",
          ZHIPU_BASE_URL: inject<string>("mockBaseUrl"),
          MOCK_ORIGIN: inject<string>("mockOrigin"),
          API_TOKENS: "token-one,token-two",
          SIGNING_SECRET: "a-signing-secret-for-tests",
          ALLOWED_ORIGINS: "https://app.example",
          ...contractSettings,
        },
      },
    })),
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
