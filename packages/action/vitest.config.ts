import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/build.global-setup.ts"],
    testTimeout: 30_000,
    // run() reads process.env and @actions/core writes to process.stdout: one file at a time.
    fileParallelism: false,
  },
});
