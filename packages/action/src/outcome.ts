import type { Job, LockEntry } from "@glm-image/node";
import type { ImageResult } from "./produce.ts";

export interface Failure {
  job: Job;
  message: string;
}

/** What a run did: written to the outputs and the summary whatever failed after generation. */
export interface Outcome {
  /** Generated and skipped images, in the order of the plan. */
  results: ImageResult[];
  failures: Failure[];
  /** The images the plan generates (or would, in a dry run). */
  planned: Job[];
  /** The lock's entries before this run: what a changed image replaced. */
  previous: Map<string, LockEntry>;
  /** The manifest's light/dark pairs (items with `dark`), for their `<picture>` snippet. */
  pairs?: Array<{ light: Job; dark: Job }>;
  commitSha?: string;
  artifactId?: number;
}
