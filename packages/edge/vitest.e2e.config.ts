import { defineConfig } from "vitest/config";

// End-to-end: real processes in Node (`wrangler dev`, `deno serve`), the mock upstream on loopback;
// and the tests of the Node scripts (scripts/: `npm start`'s settings) beside them.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["./test/mock.global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
