#!/usr/bin/env -S node --max-semi-space-size=1
// An agent host starts the CLI for every image, so its start-up is paid every time:
// - `glm-image --version` alone is answered here, before the bundle (zod, core) is read;
// - everything else loads the bundle with Node's compile cache on (Node >= 22.1; Node 20 has
//   none and loads it as before); the import is dynamic so that it comes after the cache is on.
// Memory: spent download chunks are freed only by a collection. A 1 MiB young generation (the
// flag above), and a collection every few MiB written (@glm-image/node's saveImage, when `gc` is
// exposed), keep the peak memory of saving a 40 MiB image close to that of a 1 MiB one (npm run
// bench, figure 2). `gc` is exposed here, not with --expose-gc above: that flag costs every start,
// --version included, about 12 ms of CPU (Node's start-up cache does not apply under it).
import module from "node:module";

const require = module.createRequire(import.meta.url);
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(`${require("../package.json").version}\n`);
} else {
  require("node:v8").setFlagsFromString("--expose-gc");
  globalThis.gc ??= require("node:vm").runInNewContext("gc");
  module.enableCompileCache?.();
  await import("../dist/glm-image.js");
}
