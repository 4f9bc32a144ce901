import { defineConfig } from "vitest/config";

const source = (name: string) => new URL(`../${name}/src/index.ts`, import.meta.url).pathname;

export default defineConfig({
  // Workspace packages from their TypeScript source, not their built dist/ (see the root README).
  // By alias, not `resolve.conditions: ["source"]`: the AI SDK's eventsource-parser has a
  // `source` condition of its own, pointing at TypeScript that Node will not run from node_modules.
  resolve: {
    alias: [
      { find: /^@glm-image\/core$/, replacement: source("core") },
      { find: /^@glm-image\/mock$/, replacement: source("mock") },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
