// `npm run types -w packages/edge` (and `-- --check` in `npm run check`): the Worker's Env from
// wrangler.toml, as `wrangler types` writes it, with the main module typed from the source. The
// toml's `main` is the built bundle, so wrangler reads a copy whose `main` is src/worker.ts: the
// generated file then imports `./src/worker` and needs no hand edits.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../../../", import.meta.url).pathname;
const built = 'main = "packages/edge/dist/worker.js"';
const toml = readFileSync(`${root}wrangler.toml`, "utf8");
if (!toml.includes(built)) throw new Error(`wrangler.toml no longer says ${built}`);
const config = "wrangler.types.toml";
writeFileSync(`${root}${config}`, toml.replace(built, 'main = "packages/edge/src/worker.ts"'));
try {
  execFileSync(
    `${root}node_modules/.bin/wrangler`,
    [
      "types",
      `--config=${config}`,
      "--strict-vars=false",
      "packages/edge/worker-configuration.d.ts",
      ...process.argv.slice(2),
    ],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: "inherit",
    },
  );
} catch {
  process.exitCode = 1;
} finally {
  rmSync(`${root}${config}`, { force: true });
}
