// The dependency rules of the monorepo, checked by `npm run check` (depcruise). Each rule names
// what it keeps apart; a violation fails CI.
const faces = "(cli|edge|action)";
const packages = "(core|node|mcp|cli|edge|action|mock|testkit)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-web-only",
      comment: "core runs unchanged on Node, Deno and Workers: no Node built-in outside its tests",
      severity: "error",
      from: { path: "^packages/core/src/", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
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
      comment: "the CLI, the edge and the action share code through core and node only",
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
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules|\\.wrangler)/|worker-configuration\\.d\\.ts$" },
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
