// The dependency rules of the monorepo, checked by `npm run check` (depcruise). Each rule names
// what it keeps apart; a violation fails CI.
const faces = "(cli|ai-sdk|edge|action)";
const packages = "(core|node|mcp|cli|ai-sdk|edge|action|mock|testkit)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-web-only",
      comment:
        "core and the AI SDK provider run unchanged on Node, Deno and Workers: no Node built-in outside their tests",
      severity: "error",
      from: { path: "^packages/(core|ai-sdk)/src/", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "ai-sdk-skips-the-node-layer",
      comment:
        "the AI SDK provider is a face-like library over core: not the Node layer (no face, no mock either: see the rules below)",
      severity: "error",
      from: { path: "^packages/ai-sdk/src/", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/node/" },
    },
    {
      name: "core-imports-no-face",
      comment: "core is under every face, never above one (its tests may use the mock)",
      severity: "error",
      from: { path: "^packages/core/" },
      to: { path: `^packages/(node|${faces.slice(1, -1)})/` },
    },
    {
      name: "mcp-is-web-only",
      comment:
        "the MCP server runs in the CLI (Node) and on the edge (Workers, Deno): no Node built-in outside its tests",
      severity: "error",
      from: { path: "^packages/mcp/src/", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "mcp-is-a-library",
      comment:
        "the MCP server definition stands on core only; the faces wire it, it imports no face",
      severity: "error",
      from: { path: "^packages/mcp/" },
      to: { path: "^packages/(node|cli|edge|action)/" },
    },
    {
      name: "no-production-import-of-the-mock",
      comment: "the mock is for tests, benches and the local quick start, never for shipped code",
      severity: "error",
      from: { path: "^packages/(?!mock/|testkit/)[^/]+/src/", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/(mock|testkit)/" },
    },
    {
      name: "faces-import-no-face",
      comment:
        "the CLI, the AI SDK provider, the edge and the action share code through core (and node) only",
      severity: "error",
      from: { path: `^packages/${faces}/` },
      to: { path: `^packages/${faces}/`, pathNot: "^packages/$1/" },
    },
    {
      name: "packages-by-name",
      comment: "packages import each other by package name, never by a relative path",
      severity: "error",
      from: { path: `^packages/${packages}/` },
      to: {
        path: `^packages/${packages}/`,
        pathNot: "^packages/$1/",
        dependencyTypesNot: ["aliased-workspace"],
      },
    },
    {
      name: "bench-and-scripts-by-name",
      comment: "the bench and the root scripts reach packages by name, not into their folders",
      severity: "error",
      from: { path: "^(bench|scripts)/" },
      to: { path: "^packages/", dependencyTypesNot: ["aliased-workspace"] },
    },
    {
      name: "edge-domain-is-plain",
      comment:
        "the edge's domain (ports, produce-image, the image layout, metadata, settings) knows no HTTP, no wire schema and no runtime",
      severity: "error",
      from: { path: "^packages/edge/src/domain/", pathNot: "\\.test\\.ts$" },
      to: { path: "(^|/)node_modules/(hono|@hono)/|^packages/edge/src/(http|adapters)/" },
    },
    {
      name: "edge-http-imports-no-adapter",
      comment:
        "the edge's HTTP layer reaches storage and coordination through the domain's ports only",
      severity: "error",
      from: { path: "^packages/edge/src/http/" },
      to: { path: "^packages/edge/src/adapters/" },
    },
    {
      name: "edge-runtimes-apart",
      comment: "Cloudflare's adapters and Deno's never import each other",
      severity: "error",
      from: { path: "^packages/edge/src/adapters/(cloudflare|deno)/" },
      to: { path: "^packages/edge/src/adapters/", pathNot: "^packages/edge/src/adapters/$1/" },
    },
    {
      name: "edge-adapters-only-from-entries",
      comment: "only the entries (worker.ts, deno.ts) wire adapters in; tests may use them too",
      severity: "error",
      from: {
        path: "^packages/edge/src/",
        pathNot: "^packages/edge/src/(worker\\.ts|deno\\.ts|adapters/)|\\.test\\.ts$",
      },
      to: { path: "^packages/edge/src/adapters/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^packages/[^/]+/dist/|(^|/)\\.wrangler/|worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "import", "default", "workerd", "worker"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
    combinedDependencies: true,
  },
};
