import * as core from "@actions/core";
import {
  type Job,
  type Lock,
  type PaidWork,
  prepareTarget,
  type Stage,
  unchangedEntry,
} from "@glm-image/node";
import { logLine } from "./log.ts";

export interface ImageResult {
  path: string;
  prompt: string;
  model: string;
  size: string;
  quality: string;
  status: "generated" | "skipped";
  sha256: string;
  image_url: string | null;
}

function describeJob(job: Job) {
  const { request } = job;
  return {
    path: job.path,
    prompt: request.prompt,
    model: request.model,
    size: request.size,
    quality: request.quality,
  };
}

/**
 * The skipped result of a job when the lock says the same request made the file that is there
 * now (the Node layer's unchanged check); undefined when it must be generated. Reads files only.
 */
export async function unchangedImage(job: Job, lock: Lock): Promise<ImageResult | undefined> {
  const entry = await unchangedEntry(job, lock);
  if (!entry) return undefined;
  return {
    ...describeJob(job),
    status: "skipped",
    sha256: entry.sha256,
    image_url: entry.image_url,
  };
}

const stageLines: Partial<Record<Stage, (detail: string | undefined) => string>> = {
  submitted: (task) => `accepted as task ${task}`,
  "resuming-task": (task) =>
    `resuming the paid task ${task} from the journal (nothing more is paid)`,
  "resuming-image": () => "downloading the paid image from the journal (nothing more is paid)",
};

/**
 * One image through the journaled paid work: its file is checked and prepared when its turn
 * comes, before anything is paid; the image comes from the journal when an earlier run paid for
 * it; `record` (the lock) runs once the file is whole, before its journal entry goes.
 */
export async function generateImageFile(
  job: Job,
  work: PaidWork,
  record: (job: Job, entry: { sha256: string; image_url: string | null }) => Promise<void>,
): Promise<ImageResult> {
  const { request } = job;
  logLine(`${job.path}: generating with ${request.model} at ${request.size}`);
  const { result, saved } = await work.produce(
    { key: job.key, request, target: () => prepareTarget(job.absolutePath) },
    {
      onStage: (stage, detail) => {
        const line = stageLines[stage];
        if (line) logLine(`${job.path}: ${line(detail)}`);
      },
      record: (file, paid) => record(job, { sha256: file.sha256, image_url: paid.url }),
    },
  );
  for (const warning of result.warnings) core.warning(`${job.path}: ${warning}`);
  if (saved?.warning) core.warning(`${job.path}: ${saved.warning}`);
  logLine(`${job.path}: ${saved?.bytes ?? 0} bytes written`);
  return {
    ...describeJob(job),
    status: "generated",
    sha256: saved?.sha256 ?? "",
    image_url: result.url,
  };
}
