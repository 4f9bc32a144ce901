import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export interface Confined {
  absolute: string;
  /** Relative to the workspace, with forward slashes. */
  relative: string;
}

const outside = (root: string, path: string) => {
  const inside = relative(root, path);
  return inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside);
};

/**
 * A path inside the workspace, as absolute and as relative (with /), judged by its spelling: it
 * must stay inside, hold no control character (a line break in a log line starts a workflow
 * command) and no `.git` folder anywhere (a file there is a hook, or a damaged repository).
 */
export function confine(workspace: string, path: string, what: string): Confined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) {
    throw new Error(`${what} ${JSON.stringify(path)} contains a control character`);
  }
  const absolute = resolve(workspace, path);
  if (outside(workspace, absolute)) {
    throw new Error(`${what} ${JSON.stringify(path)} is outside the workspace ${workspace}`);
  }
  const inside = relative(workspace, absolute).split(sep).join("/");
  if (inside.split("/").some((segment) => segment.toLowerCase() === ".git")) {
    throw new Error(`${what} ${JSON.stringify(path)} is inside a .git folder`);
  }
  return { absolute, relative: inside };
}

/** The real path of the deepest part of `path` that exists (symbolic links followed). */
async function realExisting(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    const stat = await lstat(current).catch(() => undefined);
    if (stat) {
      // A link that leads nowhere cannot be judged: follow it and fail, rather than write through it.
      const real = await realpath(current).catch(() => undefined);
      if (real === undefined) throw new Error(`cannot resolve the symbolic link ${current}`);
      return resolve(real, relative(current, path));
    }
    if (dirname(current) === current) return path;
  }
}

/**
 * `confine`, and also by the real path: no symbolic link on the way (a folder or the file itself)
 * may lead out of the workspace, for a file read as for a file written.
 */
export async function confineReal(
  workspace: string,
  path: string,
  what: string,
): Promise<Confined> {
  const confined = confine(workspace, path, what);
  const root = await realpath(workspace);
  let real: string;
  try {
    real = await realExisting(confined.absolute);
  } catch (error) {
    throw new Error(`${what} ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  if (real !== root && outside(root, real)) {
    throw new Error(
      `${what} ${JSON.stringify(path)} leads outside the workspace through a symbolic link (to ${real})`,
    );
  }
  return confined;
}

const swapCase = (text: string) =>
  Array.from(text, (character) => {
    const upper = character.toUpperCase();
    return upper === character ? character.toLowerCase() : upper;
  }).join("");
const hasCase = (text: string) => swapCase(text) !== text;

const sameFile = async (a: string, b: string) => {
  const [first, second] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return first !== null && second !== null && first.dev === second.dev && first.ino === second.ino;
};

/**
 * Whether names in a folder are looked up regardless of case (macOS and Windows by default),
 * found by asking for one of its names with the case swapped: an entry of the folder, or else the
 * folder's own name in its parent.
 */
async function foldsCase(folder: string): Promise<boolean> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const name = names.find(hasCase);
  if (name !== undefined) return sameFile(join(folder, name), join(folder, swapCase(name)));
  const own = basename(folder);
  if (!hasCase(own)) return false;
  return sameFile(folder, join(dirname(folder), swapCase(own)));
}

/**
 * Which file a path names, as a comparable string: the real path of its folder (symbolic links
 * followed, as far as the folders exist) and its name, case-folded where the folder's file
 * system ignores case. Two spellings of one file (`docs/a.png`, `alias/a.png` with
 * `alias -> docs`; `Docs/A.png` on macOS) answer the same. `folds` caches per folder.
 */
export async function fileIdentity(
  path: string,
  folds: Map<string, Promise<boolean>> = new Map(),
): Promise<string> {
  const real = await realExisting(dirname(path)).catch(() => dirname(path));
  let folder = real;
  while (!(await stat(folder).catch(() => null))?.isDirectory() && dirname(folder) !== folder) {
    folder = dirname(folder);
  }
  let insensitive = folds.get(folder);
  if (insensitive === undefined) {
    insensitive = foldsCase(folder);
    folds.set(folder, insensitive);
  }
  const identity = join(real, basename(path));
  return (await insensitive) ? identity.normalize("NFC").toLowerCase() : identity;
}
