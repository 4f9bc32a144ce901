export { type Downloaded, downloadInto } from "./download-into.ts";
export { httpFetch, httpGet } from "./http-fetch.ts";
export { wholeImageType } from "./image-file.ts";
export {
  ASYNC_MODELS,
  type DirectSettings,
  directSource,
  type EdgeSettings,
  edgeSource,
  type ImageSource,
  type SourceCall,
  type Started,
} from "./image-source.ts";
export {
  type Journal,
  type JournalEntry,
  journalEntrySchema,
  type ListedEntry,
  openJournal,
} from "./journal.ts";
export { fileSha256, type Lock, type LockEntry, readLock, writeLock } from "./lock-file.ts";
export { lockRecorder, unchangedEntry } from "./lock-recorder.ts";
export { type ManifestEntry, manifestSchema, readManifest } from "./manifest.ts";
export { mayHaveCharged } from "./may-have-charged.ts";
export { nearest } from "./nearest.ts";
export {
  type PaidJob,
  type PaidWork,
  type PaidWorkOptions,
  type ProduceCall,
  type Produced,
  paidWork,
  removeStalePart,
  type Stage,
  TASK_WAIT_MS,
} from "./paid-work.ts";
export { parseOrThrow } from "./parse-or-throw.ts";
export { darkVariantPath, type Job, type PlanInputs, planJobs } from "./plan.ts";
export { mapSettled } from "./pool.ts";
export {
  type ErrorReason,
  ReasonedError,
  type ReasonedErrorObject,
  reasonOf,
} from "./reason-error.ts";
export {
  type ImageTarget,
  prepareTarget,
  resolvePath,
  type SavedImage,
  saveImage,
} from "./save-image.ts";
export { type Confined, confine, confineReal, fileIdentity } from "./workspace-path.ts";
