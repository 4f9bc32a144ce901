import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The SDK's Client imports eventsource and eventsource-parser, which publish a `source` condition
// of their own (TypeScript under node_modules, which Node does not strip): their built files.
const built = (path: string) =>
  fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));

export default defineConfig({
  // Workspace packages from their TypeScript source, not their built dist/ (see the root README).
  resolve: {
    conditions: ["source"],
    alias: [
      { find: /^eventsource$/, replacement: built("eventsource/dist/index.js") },
      { find: /^eventsource-parser$/, replacement: built("eventsource-parser/dist/index.js") },
      {
        find: /^eventsource-parser\/stream$/,
        replacement: built("eventsource-parser/dist/stream.js"),
      },
    ],
  },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    testTimeout: 20_000,
    // Through vite, so that the aliases above apply to the Client's imports.
    server: { deps: { inline: [/@modelcontextprotocol\/client/, /[\\/]eventsource[\\/]/] } },
  },
});
