// `npm pack` some of the workspace packages and install the tarballs into a folder, as a user of
// the registry would get them (dependencies from the registry, no workspace links).
import { execFileSync } from "node:child_process";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;

/** The published packages (folder names under packages/), in dependency order. */
export const publishedPackages = ["core", "node", "mock", "cli", "ai-sdk"];

/** Packs `packages` (each built by its prepack script) into `destination`; the tarballs' paths. */
export async function packTarballs(packages: string[], destination: string): Promise<string[]> {
  await mkdir(destination, { recursive: true });
  const names = execFileSync(
    "npm",
    [
      "pack",
      "--silent",
      "--pack-destination",
      destination,
      ...packages.flatMap((name) => ["-w", `packages/${name}`]),
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const packed = new Set(names.split("\n").filter((name) => name.endsWith(".tgz")));
  const files = (await readdir(destination)).filter((name) => packed.has(name));
  return files.map((file) => join(destination, file));
}

/**
 * Packs `packages`, installs them into `folder` with `alongside` (registry specs a user installs
 * with them, e.g. `ai@^7`); the tarballs.
 */
export async function packAndInstall(
  packages: string[],
  folder: string,
  alongside: string[] = [],
): Promise<string[]> {
  const tarballs = await packTarballs(packages, join(folder, "tarballs"));
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--silent",
      ...tarballs.map((file) => `./${file.slice(folder.length + 1)}`),
      ...alongside,
    ],
    { cwd: folder, stdio: ["ignore", "ignore", "inherit"] },
  );
  return tarballs;
}
