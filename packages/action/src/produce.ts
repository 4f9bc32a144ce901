import * as core from "@actions/core";
import { downloadImage, extensionsOf } from "@glm-image/core";
import type { Job } from "@glm-image/node";
import { fileSha256, type LockEntry, saveImage } from "@glm-image/node";
import type { ImageSource } from "./image-source.ts";

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

/**
 * One image: skipped when the lock says the same request made the file that is there now,
 * otherwise generated, downloaded and written atomically.
 */
export async function produceImage(
  job: Job,
  options: { source: ImageSource; previous: LockEntry | undefined; skipUnchanged: boolean },
): Promise<ImageResult> {
  const { request } = job;
  const base = {
    path: job.path,
    prompt: request.prompt,
    model: request.model,
    size: request.size,
    quality: request.quality,
  };
  const previous = options.previous;
  if (options.skipUnchanged && previous?.key === job.key) {
    const sha256 = await fileSha256(job.absolutePath);
    if (sha256 === previous.sha256) {
      core.info(`${job.path}: unchanged, skipped`);
      return { ...base, status: "skipped", sha256, image_url: previous.image_url };
    }
  }
  core.info(`${job.path}: generating with ${request.model} at ${request.size}`);
  const generated = await options.source(request);
  for (const warning of generated.warnings) core.warning(`${job.path}: ${warning}`);
  const image = await downloadImage(generated.url);
  const saved = await saveImage(image.body, job.absolutePath);
  const extension = /\.([^./]+)$/.exec(job.path)?.[1]?.toLowerCase() ?? "";
  if (!extensionsOf(image).includes(extension)) {
    core.warning(
      `${job.path}: the image is ${image.contentType}; consider the extension .${image.extension}`,
    );
  }
  core.info(`${job.path}: ${saved.bytes} bytes written`);
  return { ...base, status: "generated", sha256: saved.sha256, image_url: generated.url };
}
