// Bundles the Worker for `wrangler dev` and `wrangler deploy` (wrangler.toml's [build] command).
// One change from a plain bundle: @hono/zod-openapi re-exports zod's whole `z` namespace, which
// drags in what no route uses: zod's 40-odd error-message locales (about 260 KB; English is the
// one in use), its JSON Schema importer (z.fromJSONSchema) and its code-generating parser
// (z.compile, about 29 KB, which needs `new Function`: Workers refuse it anyway), and its JSON
// Schema generator (`z.toJSONSchema()`: the OpenAPI document is made by zod-to-openapi, which
// does not call it; it does read the schemas' checks through json-schema-processors.js, which
// stays). All are replaced here, which keeps the Worker under 100 KiB gzip; a stub throws if it
// is ever called, and the wrangler dev tests (the docs page, /openapi.json) run this bundle.
import { readFileSync } from "node:fs";
import { build, type Plugin } from "esbuild";

/**
 * A module with the same exports as `path`, each a function that throws when called; those named
 * in `factories` make such a function instead (schemas call them at construction).
 */
function throwingStub(path: string, factories: readonly string[] = []): string {
  const names = [
    ...readFileSync(path, "utf8").matchAll(/^export (?:const|function) ([A-Za-z_$][\w$]*)/gm),
  ].map((match) => match[1] ?? "");
  const fail = '() => { throw new Error("z.toJSONSchema is not in this bundle"); }';
  return names
    .map((name) => `export const ${name} = ${factories.includes(name) ? `() => ${fail}` : fail};`)
    .join("\n");
}

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
    // Schemas take their JSON Schema methods from here at construction; calling one throws.
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]to-json-schema\.js$/ }, (args) => ({
      contents: `${throwingStub(args.path, ["createToJSONSchemaMethod", "createStandardJSONSchemaMethod"])}\nexport { processSchema as process };`,
      loader: "js",
    }));
  },
};

await build({
  entryPoints: [new URL("../src/worker.ts", import.meta.url).pathname],
  outfile: new URL("../dist/worker.js", import.meta.url).pathname,
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
