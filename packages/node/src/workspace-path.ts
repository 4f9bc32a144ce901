import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

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
