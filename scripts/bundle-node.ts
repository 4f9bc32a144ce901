// One esbuild setup for the Node bundles (the CLI's bin, the action's dist/index.js): ESM, minified,
// workspace packages from their TypeScript source, and `require` defined for the CommonJS
// dependencies that need Node built-ins (yaml, @actions/*).
import { rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { basename, dirname, join } from "node:path";
import { build, type Plugin } from "esbuild";

export async function bundleForNode(options: {
  entry: string;
  outfile: string;
  target: string;
  plugins?: Plugin[];
  /**
   * What is only reached through `await import()` goes to chunks of its own (beside the outfile,
   * in chunks/), read only when imported: a command that never imports it never pays for it.
   */
  splitting?: boolean;
}): Promise<unknown> {
  const output = options.splitting
    ? {
        entryPoints: [{ in: options.entry, out: basename(options.outfile, ".js") }],
        outdir: dirname(options.outfile),
        splitting: true,
        chunkNames: "chunks/[name]-[hash]",
      }
    : { entryPoints: [options.entry], outfile: options.outfile };
  if (options.splitting)
    await rm(join(dirname(options.outfile), "chunks"), { recursive: true, force: true });
  return build({
    ...output,
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

const BUILTIN = "builtin-through-require";
const builtins = new Set(builtinModules);

/**
 * Node built-ins imported through `require` rather than `import`. An ESM import of a built-in
 * reads every one of its exports up front, getters included: node:http's WebSocket, CloseEvent
 * and MessageEvent getters then load undici (about 40 ms of CPU at start-up), even for a command
 * that never fetches. Through `require`, an export is read only when the code uses it.
 */
export const builtinsThroughRequire: Plugin = {
  name: BUILTIN,
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (!builtins.has(name)) return undefined;
      if (args.namespace === BUILTIN || args.kind === "require-call") {
        return { path: args.path, external: true };
      }
      return { path: args.path, namespace: BUILTIN };
    });
    build.onLoad({ filter: /.*/, namespace: BUILTIN }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

const LAZY = "lazy-commonjs";

/**
 * CommonJS packages evaluated on first use rather than at start-up: each named export (functions
 * only, listed per package) becomes a wrapper that loads the package when it is called. A command
 * that never calls them never pays for their evaluation (yaml: about 10 ms of CPU, for `batch`
 * only). An import of a name not listed fails the build.
 */
export function lazyCommonJs(packages: Record<string, string[]>): Plugin {
  const names = Object.keys(packages).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return {
    name: LAZY,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) =>
        args.kind === "import-statement" && args.namespace !== LAZY
          ? { path: args.path, namespace: LAZY, pluginData: args.resolveDir }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: LAZY }, (args) => ({
        contents: (packages[args.path] ?? [])
          .map(
            (name) =>
              `export function ${name}(...args) { return require(${JSON.stringify(args.path)}).${name}(...args); }`,
          )
          .join("\n"),
        loader: "js",
        resolveDir: args.pluginData as string,
      }));
    },
  };
}
