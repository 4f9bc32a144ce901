// The manifest a package is packed with names only files it ships: `npm pack` (and publish) runs
// `prepack`, which calls this with `strip`, then packs package.json as it is on disk, then runs
// `postpack` (`restore`). Inside the repository the `exports` map has a `source` condition at
// `./src/*.ts` for the tests (see the root README); the tarball has no src/, so it goes.
//   node scripts/pack-manifest.ts strip|restore      (in the package's folder)
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";

/** Beside package.json while a pack runs; a pack that failed half-way leaves it for the next. */
const BACKUP = "package.json.before-pack";

type Exports = string | null | Exports[] | { [condition: string]: Exports };

/** The exports map without its `source` conditions, at any depth. */
function withoutSource(exports: Exports): Exports {
  if (Array.isArray(exports)) return exports.map(withoutSource);
  if (exports === null || typeof exports !== "object") return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([condition]) => condition !== "source")
      .map(([condition, target]) => [condition, withoutSource(target)]),
  );
}

async function strip(): Promise<void> {
  const original = await readFile("package.json", "utf8");
  // Keep the first backup: after a failed pack, package.json is already the stripped one.
  if (!existsSync(BACKUP)) await writeFile(BACKUP, original);
  const manifest = JSON.parse(original) as { exports?: Exports };
  if (manifest.exports !== undefined) manifest.exports = withoutSource(manifest.exports);
  await writeFile("package.json", `${JSON.stringify(manifest, null, 2)}\n`);
}

async function restore(): Promise<void> {
  if (existsSync(BACKUP)) await rename(BACKUP, "package.json");
}

const command = process.argv[2];
if (command === "strip") await strip();
else if (command === "restore") await restore();
else {
  console.error("usage: node scripts/pack-manifest.ts strip|restore");
  process.exitCode = 2;
}
