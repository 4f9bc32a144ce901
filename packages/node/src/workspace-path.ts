import { isAbsolute, relative, resolve } from "node:path";

/** A path inside the workspace, as absolute and as relative (with /); throws for anything outside. */
export function confine(workspace: string, path: string, what: string) {
  const absolute = resolve(workspace, path);
  const inside = relative(workspace, absolute);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    throw new Error(`${what} ${JSON.stringify(path)} is outside the workspace ${workspace}`);
  }
  return { absolute, relative: inside.split("\\").join("/") };
}
