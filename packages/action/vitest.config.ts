import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages from their TypeScript source, not their built dist/ (see the root README).
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    globalSetup: ["./test/build.global-setup.ts"],
    testTimeout: 30_000,
    // run() reads process.env and @actions/core writes to process.stdout: one file at a time.
    fileParallelism: false,
  },
});
