// Prints the Worker's size as `wrangler deploy --dry-run` uploads it, gzip: what every request
// but /mcp loads (the entry and the modules it reaches without the MCP server's), and the whole
// upload, the MCP server included. CI runs it; the README and BENCHMARKS.md quote it. Exits 1 above
// a budget: 100 KiB gzip without the MCP server, 160 KiB with it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const GZIP_BUDGET = 100 * 1024;
export const WITH_MCP_GZIP_BUDGET = 160 * 1024;
const root = new URL("../../../", import.meta.url).pathname;
const dist = join(root, "packages/edge/dist");

interface Metafile {
  outputs: Record<
    string,
    { entryPoint?: string; imports: Array<{ path: string; external?: boolean }> }
  >;
}

/** The modules a request loads when it never reaches /mcp: all but the MCP server's own. */
function modulesWithoutMcp(meta: Metafile): Set<string> {
  const name = (path: string) => path.replace(/^.*?dist\//, "");
  const mcp = Object.keys(meta.outputs).filter((path) =>
    meta.outputs[path]?.entryPoint?.endsWith("http/mcp/serve-mcp.ts"),
  );
  const reached = new Set<string>();
  const stack = Object.keys(meta.outputs).filter((path) => name(path) === "worker.js");
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    if (reached.has(name(path)) || mcp.includes(path)) continue;
    reached.add(name(path));
    for (const imported of meta.outputs[path]?.imports ?? []) {
      if (!imported.external) stack.push(imported.path);
    }
  }
  return reached;
}

export function measureBundle(): {
  raw: number;
  gzip: number;
  withMcpGzip: number;
  modules: number;
  wrangler: string;
} {
  const outdir = mkdtempSync(join(tmpdir(), "glm-image-bundle-"));
  try {
    const wrangler = execFileSync(
      `${root}node_modules/.bin/wrangler`,
      ["deploy", "--dry-run", "--outdir", outdir],
      {
        cwd: root,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
        encoding: "utf8",
      },
    );
    // The modules as uploaded: the entry, and each module the rules attach.
    const uploaded = [
      "worker.js",
      ...[...wrangler.matchAll(/^│ (chunks\/\S+\.js)\s/gm)].map((match) => match[1] ?? ""),
    ];
    const meta = JSON.parse(readFileSync(join(dist, "worker.meta.json"), "utf8")) as Metafile;
    const withoutMcp = modulesWithoutMcp(meta);
    let raw = 0;
    let gzip = 0;
    let withMcpGzip = 0;
    for (const module of uploaded) {
      const code = readFileSync(join(dist, module));
      const size = gzipSync(code, { level: 9 }).length;
      withMcpGzip += size;
      if (!withoutMcp.has(module)) continue;
      raw += code.length;
      gzip += size;
    }
    return {
      raw,
      gzip,
      withMcpGzip,
      modules: uploaded.length,
      wrangler: /Total Upload: .*/.exec(wrangler)?.[0] ?? "",
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { raw, gzip, withMcpGzip, modules, wrangler } = measureBundle();
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `Worker bundle: ${kib(raw)} raw, ${kib(gzip)} gzip without /mcp (budget ${kib(GZIP_BUDGET)}); ${kib(withMcpGzip)} gzip with it (budget ${kib(WITH_MCP_GZIP_BUDGET)}), ${modules} modules; wrangler: ${wrangler}`,
  );
  if (gzip > GZIP_BUDGET || withMcpGzip > WITH_MCP_GZIP_BUDGET) {
    console.error("The Worker bundle is over its gzip budget");
    process.exitCode = 1;
  }
}
