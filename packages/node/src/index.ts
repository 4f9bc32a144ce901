export { fileSha256, type Lock, type LockEntry, readLock, writeLock } from "./lock-file.ts";
export { type ManifestEntry, manifestSchema, readManifest } from "./manifest.ts";
export { parseOrThrow } from "./parse-or-throw.ts";
export { type Job, type PlanInputs, planJobs } from "./plan.ts";
export { mapSettled } from "./pool.ts";
export { resolvePath, saveImage } from "./save-image.ts";
export { type Confined, confine, confineReal } from "./workspace-path.ts";
