import {
  contentKey,
  type GenerationRequest,
  GlmImageError,
  parseGenerationRequest,
} from "@glm-image/core";
import { type ManifestEntry, readManifest } from "./manifest.ts";
import { confineReal } from "./workspace-path.ts";

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
}

/**
 * Every image the inputs ask for, validated before anything is paid for: a bad model, size,
 * quality or path anywhere stops the run with every problem listed.
 */
export async function planJobs(inputs: PlanInputs, workspace: string): Promise<Job[]> {
  const items: ManifestEntry[] = inputs.manifest
    ? await readManifest(inputs.manifest, workspace)
    : [{ path: inputs.path ?? "", prompt: inputs.prompt ?? "" }];
  const problems: string[] = [];
  const jobs: Job[] = [];
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const label = inputs.manifest
      ? `manifest item ${index + 1} (${JSON.stringify(item.path)})`
      : "input";
    try {
      const target = await confineReal(workspace, item.path, "path");
      if (seen.has(target.relative)) throw new Error(`path ${target.relative} is listed twice`);
      seen.add(target.relative);
      const request = parseGenerationRequest({
        prompt: item.prompt,
        model: item.model ?? inputs.model,
        size: item.size ?? inputs.size,
        quality: item.quality ?? inputs.quality,
        watermark_enabled: item.watermark ?? inputs.watermark,
        user_id: inputs["user-id"],
      });
      jobs.push({
        path: target.relative,
        absolutePath: target.absolute,
        request,
        key: await contentKey(request),
      });
    } catch (error) {
      const message =
        error instanceof GlmImageError
          ? `${error.code}: ${error.message}`
          : (error as Error).message;
      problems.push(`${label}: ${message}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return jobs;
}
