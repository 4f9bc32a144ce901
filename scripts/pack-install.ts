// `npm pack` some of the workspace packages and install the tarballs into a folder, as a user of
// the registry would get them (dependencies from the registry, no workspace links).
import { execFileSync } from "node:child_process";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;

/**
 * Packs `packages` (folder names under packages/), installs them into `folder` with `alongside`
 * (registry specs a user installs with them, e.g. `ai@^7`); the tarballs.
 */
export async function packAndInstall(
  packages: string[],
  folder: string,
  alongside: string[] = [],
): Promise<string[]> {
  const tarballs = join(folder, "tarballs");
  await mkdir(tarballs, { recursive: true });
  execFileSync(
    "npm",
    [
      "pack",
      "--silent",
      "--pack-destination",
      tarballs,
      ...packages.flatMap((name) => ["-w", `packages/${name}`]),
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  const files = (await readdir(tarballs)).filter((name) => name.endsWith(".tgz"));
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--silent",
      ...files.map((file) => `./tarballs/${file}`),
      ...alongside,
    ],
    { cwd: folder, stdio: ["ignore", "ignore", "inherit"] },
  );
  return files.map((file) => join(tarballs, file));
}
