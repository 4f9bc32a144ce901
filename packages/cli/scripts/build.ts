// Bundles the CLI (core and zod included) into one file: dist/glm-image.js.
import { bundleForNode } from "../../../scripts/bundle-node.ts";

await bundleForNode({
  entry: new URL("../src/bin.ts", import.meta.url).pathname,
  outfile: new URL("../dist/glm-image.js", import.meta.url).pathname,
  target: "node20",
});
