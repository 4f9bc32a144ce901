import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/build.global-setup.ts"],
    testTimeout: 20_000,
  },
});
