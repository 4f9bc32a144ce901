import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { promisify } from "node:util";
import type { Confined, Lock } from "@glm-image/node";

const run = promisify(execFile);

async function gitPaths(cwd: string, args: string[], paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdout } = await run("git", [...args, "--", ...paths], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.split("\0").filter((entry) => entry !== "");
}

/**
 * What a commit of the images holds: every image of the run (generated, or skipped but never
 * committed, as after a run without commit), and a lock file that lists exactly the images of the
 * commit's tree, so it never claims a file the repository does not have.
 */
export async function commitSet(
  cwd: string,
  lock: Lock,
  imagePaths: string[],
): Promise<{ files: string[]; lock: Lock }> {
  const tracked = new Set(await gitPaths(cwd, ["ls-files", "-z"], Object.keys(lock.images)));
  const files = new Set(imagePaths);
  const images = Object.fromEntries(
    Object.entries(lock.images).filter(([path]) => files.has(path) || tracked.has(path)),
  );
  return { files: [...files], lock: { ...lock, images } };
}

/** Of the given paths, those that differ from HEAD or are not in it (git status). */
export async function changedPaths(cwd: string, paths: string[]): Promise<string[]> {
  const entries = await gitPaths(
    cwd,
    ["status", "--porcelain=v1", "-z", "--untracked-files=all"],
    paths,
  );
  return entries.map((entry) => entry.slice(3));
}

/**
 * The journal's files to commit: its entries now, and those the repository still has that are
 * gone (finished), so the commit removes them.
 */
export async function journalPaths(cwd: string, journal: Confined): Promise<string[]> {
  const names = await readdir(journal.absolute).catch(() => [] as string[]);
  const present = names
    .filter((name) => /^[0-9a-f]{64}\.json$/.test(name))
    .map((name) => `${journal.relative}/${name}`);
  const tracked = await gitPaths(cwd, ["ls-files", "-z"], [journal.relative]);
  return [...new Set([...present, ...tracked])].sort();
}
