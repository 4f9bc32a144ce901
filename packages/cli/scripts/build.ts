// Bundles the CLI (core and zod included) into one file: dist/glm-image.js. So that no command
// pays at start-up for what it does not use, Node built-ins come through `require`
// (builtinsThroughRequire), yaml, which only `batch` reads, is evaluated on first use, and the
// MCP server (the SDK), which only `mcp` imports, is in chunks of its own.
import {
  builtinsThroughRequire,
  bundleForNode,
  lazyCommonJs,
} from "../../../scripts/bundle-node.ts";

await bundleForNode({
  entry: new URL("../src/bin.ts", import.meta.url).pathname,
  outfile: new URL("../dist/glm-image.js", import.meta.url).pathname,
  target: "node20",
  plugins: [builtinsThroughRequire, lazyCommonJs({ yaml: ["parse"] })],
  splitting: true,
});
