// One esbuild setup for the Node bundles (the CLI's bin, the action's dist/index.js): ESM, minified,
// workspace packages from their TypeScript source, and `require` defined for the CommonJS
// dependencies that need Node built-ins (yaml, @actions/*).
import { build, type Plugin } from "esbuild";

export function bundleForNode(options: {
  entry: string;
  outfile: string;
  target: string;
  plugins?: Plugin[];
}): Promise<unknown> {
  return build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: "node",
    // Workspace packages from their TypeScript source (their exports' "source" condition).
    conditions: ["source"],
    format: "esm",
    target: options.target,
    minify: true,
    legalComments: "none",
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: options.plugins ?? [],
    logLevel: "warning",
  });
}
