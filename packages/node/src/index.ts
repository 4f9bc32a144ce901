export { httpGet } from "./http-get.ts";
export { wholeImageType } from "./image-file.ts";
export { fileSha256, type Lock, type LockEntry, readLock, writeLock } from "./lock-file.ts";
export { lockRecorder, unchangedEntry } from "./lock-recorder.ts";
export { type ManifestEntry, manifestSchema, readManifest } from "./manifest.ts";
export { parseOrThrow } from "./parse-or-throw.ts";
export { type Job, type PlanInputs, planJobs } from "./plan.ts";
export { mapSettled } from "./pool.ts";
export {
  type ImageTarget,
  prepareTarget,
  resolvePath,
  type SavedImage,
  saveImage,
} from "./save-image.ts";
export { type Confined, confine, confineReal } from "./workspace-path.ts";
