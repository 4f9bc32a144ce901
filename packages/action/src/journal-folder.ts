import { dirname, join } from "node:path";
import type { Confined } from "@glm-image/node";

/** The journal's folder, beside the lock file: `.glm-image.journal/` next to `.glm-image.lock.json`. */
export const JOURNAL_FOLDER = ".glm-image.journal";

/**
 * The journal of paid work of a run, beside its lock file (and inside the workspace, as the lock
 * is): committed with it, or kept through actions/cache, so a rerun of a stopped run resumes.
 */
export function journalFolderOf(lockPath: Confined): Confined {
  const relativeFolder = dirname(lockPath.relative);
  return {
    absolute: join(dirname(lockPath.absolute), JOURNAL_FOLDER),
    relative: relativeFolder === "." ? JOURNAL_FOLDER : `${relativeFolder}/${JOURNAL_FOLDER}`,
  };
}
