// Prints the Worker's size as `wrangler deploy --dry-run` builds it: raw and gzip bytes. CI runs it;
// the README and BENCHMARKS.md quote it. Exits 1 above the 100 KiB gzip budget.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const GZIP_BUDGET = 100 * 1024;
const root = new URL("../../../", import.meta.url).pathname;

export function measureBundle(): { raw: number; gzip: number; wrangler: string } {
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
    const code = readFileSync(join(outdir, "worker.js"));
    return {
      raw: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      wrangler: /Total Upload: .*/.exec(wrangler)?.[0] ?? "",
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { raw, gzip, wrangler } = measureBundle();
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `Worker bundle: ${kib(raw)} raw, ${kib(gzip)} gzip (budget ${kib(GZIP_BUDGET)}); wrangler: ${wrangler}`,
  );
  if (gzip > GZIP_BUDGET) {
    console.error("The Worker bundle is over its gzip budget");
    process.exitCode = 1;
  }
}
