import { fileSha256, type Lock, type LockEntry, writeLock } from "./lock-file.ts";
import type { Job } from "./plan.ts";

/** The lock's entry for a job when the same request made the file that is there now. */
export async function unchangedEntry(job: Job, lock: Lock): Promise<LockEntry | undefined> {
  const previous = lock.images[job.path];
  if (previous?.key !== job.key) return undefined;
  return (await fileSha256(job.absolutePath)) === previous.sha256 ? previous : undefined;
}

/**
 * Records images in the lock as each one lands on disk, one write at a time, so that a crash
 * later never makes the next run pay for them again.
 */
export function lockRecorder(path: string, lock: Lock) {
  let writes = Promise.resolve();
  return (job: Job, entry: { sha256: string; image_url: string | null }): Promise<void> => {
    const { request } = job;
    lock.images[job.path] = {
      key: job.key,
      sha256: entry.sha256,
      prompt: request.prompt,
      model: request.model,
      size: request.size,
      quality: request.quality,
      image_url: entry.image_url,
    };
    writes = writes.then(() => writeLock(path, lock));
    return writes;
  };
}
