// Bundles the CLI (core and zod included) into one file: dist/glm-image.js.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../src/bin.ts", import.meta.url).pathname],
  outfile: new URL("../dist/glm-image.js", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  // Workspace packages from their TypeScript source (their exports' "source" condition).
  conditions: ["source"],
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "none",
  // yaml (for batch manifests) is CommonJS and requires Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
