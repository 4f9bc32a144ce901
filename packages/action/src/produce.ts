import * as core from "@actions/core";
import { downloadImage, extensionsOf } from "@glm-image/core";
import type { Job } from "@glm-image/node";
import { fileSha256, type LockEntry, saveImage } from "@glm-image/node";
import type { ImageSource } from "./image-source.ts";
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
 * now; undefined when it must be generated. Reads files only: nothing is paid for.
 */
export async function unchangedImage(
  job: Job,
  previous: LockEntry | undefined,
): Promise<ImageResult | undefined> {
  if (previous?.key !== job.key) return undefined;
  const sha256 = await fileSha256(job.absolutePath);
  if (sha256 !== previous.sha256) return undefined;
  return { ...describeJob(job), status: "skipped", sha256, image_url: previous.image_url };
}

/** One image generated, downloaded and written atomically. */
export async function generateImageFile(job: Job, source: ImageSource): Promise<ImageResult> {
  const { request } = job;
  logLine(`${job.path}: generating with ${request.model} at ${request.size}`);
  const generated = await source(request);
  for (const warning of generated.warnings) core.warning(`${job.path}: ${warning}`);
  const image = await downloadImage(generated.url);
  const saved = await saveImage(image.body, job.absolutePath);
  const extension = /\.([^./]+)$/.exec(job.path)?.[1]?.toLowerCase() ?? "";
  if (!extensionsOf(image).includes(extension)) {
    core.warning(
      `${job.path}: the image is ${image.contentType}; consider the extension .${image.extension}`,
    );
  }
  logLine(`${job.path}: ${saved.bytes} bytes written`);
  return {
    ...describeJob(job),
    status: "generated",
    sha256: saved.sha256,
    image_url: generated.url,
  };
}
