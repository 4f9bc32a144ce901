import { posix } from "node:path";
import {
  contentKey,
  darkVariantPrompt,
  type GenerationRequest,
  isGlmImageError,
  parseGenerationRequest,
} from "@glm-image/core";
import { type ManifestEntry, readManifest } from "./manifest.ts";
import { confineReal, fileIdentity } from "./workspace-path.ts";

/** What a plan is made from: one prompt and path, or a manifest, with defaults for each item. */
export interface PlanInputs {
  prompt?: string | undefined;
  path?: string | undefined;
  manifest?: string | undefined;
  model?: string | undefined;
  size?: string | undefined;
  quality?: string | undefined;
  watermark?: boolean | undefined;
  "user-id"?: string | undefined;
}

export interface Job {
  /** Relative to the workspace, with forward slashes. */
  path: string;
  absolutePath: string;
  request: GenerationRequest;
  key: string;
  /** On the dark variant of a manifest item with `dark`: the path of its light image. */
  darkOf?: string;
}

/** Where the dark variant of an image goes: `banner.png` → `banner.dark.png`. */
export function darkVariantPath(path: string): string {
  const extension = posix.extname(path);
  return `${path.slice(0, path.length - extension.length)}.dark${extension}`;
}

/**
 * Every image the inputs ask for, validated before anything is paid for: a bad model, size,
 * quality or path anywhere stops the run with every problem listed, and so do two paths that
 * name one file (by its real folder, and case-folded where the file system ignores case), which
 * would overwrite each other and look changed on every run.
 */
export async function planJobs(inputs: PlanInputs, workspace: string): Promise<Job[]> {
  const items: ManifestEntry[] = inputs.manifest
    ? await readManifest(inputs.manifest, workspace)
    : [{ path: inputs.path ?? "", prompt: inputs.prompt ?? "" }];
  const problems: string[] = [];
  const jobs: Job[] = [];
  /** The file each path names, and the first item that named it. */
  const seen = new Map<string, string>();
  const folds = new Map<string, Promise<boolean>>();
  const addJob = async (path: string, request: GenerationRequest, darkOf?: string) => {
    const target = await confineReal(workspace, path, "path");
    const identity = await fileIdentity(target.absolute, folds);
    const first = seen.get(identity);
    if (first !== undefined) {
      throw new Error(
        first === target.relative
          ? `path ${target.relative} is listed twice`
          : `path ${target.relative} is the same file as ${first}, listed before it (through a symbolic link, or a name that differs only in case); list each file once`,
      );
    }
    seen.set(identity, target.relative);
    const job: Job = {
      path: target.relative,
      absolutePath: target.absolute,
      request,
      key: await contentKey(request),
      ...(darkOf === undefined ? {} : { darkOf }),
    };
    jobs.push(job);
    return job;
  };
  for (const [index, item] of items.entries()) {
    const label = inputs.manifest
      ? `manifest item ${index + 1} (${JSON.stringify(item.path)})`
      : "input";
    try {
      const request = parseGenerationRequest({
        prompt: item.prompt,
        model: item.model ?? inputs.model,
        size: item.size ?? inputs.size,
        quality: item.quality ?? inputs.quality,
        watermark_enabled: item.watermark ?? inputs.watermark,
        user_id: inputs["user-id"],
      });
      const light = await addJob(item.path, request);
      if (item.dark !== undefined) {
        const darkPrompt = item.dark === true ? undefined : item.dark.prompt;
        const dark = parseGenerationRequest({
          ...request,
          prompt: darkVariantPrompt(request.prompt, darkPrompt),
        });
        await addJob(darkVariantPath(light.path), dark, light.path);
      }
    } catch (error) {
      const message = isGlmImageError(error)
        ? `${error.code}: ${error.message}`
        : (error as Error).message;
      problems.push(`${label}: ${message}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return jobs;
}
