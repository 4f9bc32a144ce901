// Bundles the Worker for `wrangler dev` and `wrangler deploy` (wrangler.toml's [build] command).
// One change from a plain bundle: @hono/zod-openapi re-exports zod's whole `z` namespace, which
// drags in what no route uses: zod's 40-odd error-message locales (about 260 KB; English is the
// one in use), its JSON Schema importer (z.fromJSONSchema) and its code-generating parser
// (z.compile, about 29 KB, which needs `new Function`: Workers refuse it anyway). All three are
// replaced here (a stub throws if it is ever called). zod's JSON Schema generator stays: the MCP
// server lists its tools' schemas with it. The bundle is split: the MCP SDK (about 62 KiB gzip)
// is a module that only /mcp loads, so everything else stays under 100 KiB gzip
// (scripts/bundle-size.ts).
import { rm, writeFile } from "node:fs/promises";
import { build, type Plugin } from "esbuild";

const slimZod: Plugin = {
  name: "slim-zod",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]classic[\\/]from-json-schema\.js$/ }, () => ({
      contents:
        'export function fromJSONSchema() { throw new Error("z.fromJSONSchema is not in this bundle"); }',
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]compile\.js$/ }, () => ({
      contents: [
        'export const INVALID = Symbol.for("zod.compile.invalid");',
        "export class ZodCompileAsyncError extends Error {}",
        "export class ZodCompileUnsupportedError extends Error {}",
        'export function compile() { throw new Error("z.compile is not in this bundle"); }',
        "export const withParser = compile;",
        "export const compileFn = compile;",
      ].join("\n"),
      loader: "js",
    }));
  },
};

const dist = new URL("../dist/", import.meta.url).pathname;
await rm(dist, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: [new URL("../src/worker.ts", import.meta.url).pathname],
  outdir: dist,
  entryNames: "worker",
  chunkNames: "chunks/[name]-[hash]",
  // What is reached only through `await import()` is a module of its own (wrangler.toml's
  // find_additional_modules), loaded when first imported: start-up reads the entry alone.
  splitting: true,
  metafile: true,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2024",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
  minify: true,
  legalComments: "none",
  plugins: [slimZod],
  logLevel: "warning",
});
// Which module imports which: scripts/bundle-size.ts measures what a request that is not /mcp loads.
await writeFile(`${dist}worker.meta.json`, JSON.stringify(metafile));
