import {
  type ImageModelV4CallOptions,
  InvalidArgumentError,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import {
  type GenerationRequest,
  type GlmImageError,
  isGlmImageError,
  issueMessage,
  type ModelName,
  modelNames,
  nearestRecommendedSize,
  parseGenerationRequest,
} from "@glm-image/core";
import * as z from "zod";

/** The key of this provider in the AI SDK's `providerOptions`. */
export const PROVIDER_OPTIONS_KEY = "glmImage";

/** `providerOptions.glmImage`: ZhiPu's own request fields, named as the AI SDK names options. */
export const glmImageOptionsSchema = z.object({
  /** ZhiPu's `user_id` (6 to 128 characters): the end user, for ZhiPu's abuse monitoring. */
  userId: z.string().optional(),
  /** `hd` or `standard`; glm-image takes `hd` only, the others default to `standard`. */
  quality: z.string().optional(),
  /** ZhiPu's `watermark_enabled`; default true. */
  watermark: z.boolean().optional(),
});

export type GlmImageProviderOptions = z.infer<typeof glmImageOptionsSchema>;

/** Where each field of ZhiPu's request comes from in an AI SDK call, to name it in errors. */
const argumentOf: Record<string, string> = {
  prompt: "prompt",
  model: "modelId",
  size: "size",
  quality: `providerOptions.${PROVIDER_OPTIONS_KEY}.quality`,
  user_id: `providerOptions.${PROVIDER_OPTIONS_KEY}.userId`,
  watermark_enabled: `providerOptions.${PROVIDER_OPTIONS_KEY}.watermark`,
};

function invalid(error: GlmImageError): InvalidArgumentError {
  return new InvalidArgumentError({
    argument: argumentOf[error.param ?? "prompt"] ?? "prompt",
    message: `glm-image: ${error.message}`,
    cause: error,
  });
}

function providerOptionsOf(
  options: ImageModelV4CallOptions,
  warnings: SharedV4Warning[],
): GlmImageProviderOptions {
  const given = options.providerOptions[PROVIDER_OPTIONS_KEY] ?? {};
  const parsed = glmImageOptionsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "");
    throw new InvalidArgumentError({
      argument: `providerOptions.${PROVIDER_OPTIONS_KEY}${field ? `.${field}` : ""}`,
      message: `glm-image: providerOptions.${PROVIDER_OPTIONS_KEY}: ${parsed.error.issues.map(issueMessage).join("; ")}`,
    });
  }
  for (const key of Object.keys(given)) {
    if (!(key in glmImageOptionsSchema.shape)) {
      warnings.push({
        type: "unsupported",
        feature: `providerOptions.${PROVIDER_OPTIONS_KEY}.${key}`,
        details: `Ignored; glm-image takes ${Object.keys(glmImageOptionsSchema.shape).join(", ")}`,
      });
    }
  }
  return parsed.data;
}

const modelOf = (modelId: string): ModelName | undefined =>
  (modelNames as readonly string[]).includes(modelId) ? (modelId as ModelName) : undefined;

/** `16:9` as a size-like pair, or an InvalidArgumentError. */
function parseAspectRatio(aspectRatio: string): { width: number; height: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(aspectRatio);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || !(width > 0) || !(height > 0)) {
    throw new InvalidArgumentError({
      argument: "aspectRatio",
      message: `glm-image: aspectRatio must be {width}:{height} with both above 0, e.g. 16:9 (got ${JSON.stringify(aspectRatio)})`,
    });
  }
  return { width, height };
}

/**
 * The size to ask for: `size` as given (the model's rules judge it), else the model's recommended
 * size nearest to `aspectRatio` (with a warning when its ratio is not exactly the one asked
 * for), else the model's default.
 */
function sizeOf(
  modelId: string,
  options: ImageModelV4CallOptions,
  warnings: SharedV4Warning[],
): string | undefined {
  if (options.size !== undefined) {
    if (options.aspectRatio !== undefined) {
      warnings.push({
        type: "unsupported",
        feature: "aspectRatio",
        details: `Ignored: size ${options.size} is given and decides the shape`,
      });
    }
    return options.size;
  }
  if (options.aspectRatio === undefined) return undefined;
  const ratio = parseAspectRatio(options.aspectRatio);
  const model = modelOf(modelId);
  // An unknown model is refused by the request's own check, with the list of models.
  if (model === undefined) return undefined;
  const size = nearestRecommendedSize(model, ratio);
  const [width, height] = size.split("x").map(Number) as [number, number];
  if (Math.abs(width / height - ratio.width / ratio.height) > 1e-9) {
    warnings.push({
      type: "compatibility",
      feature: "aspectRatio",
      details: `${model} has no ${options.aspectRatio} size; ${size} is its recommended size nearest to it`,
    });
  }
  return size;
}

/**
 * An AI SDK call as ZhiPu's request, checked by core's rules before anything is sent or paid:
 * unknown model, size, quality or user id are InvalidArgumentErrors naming the argument at
 * fault. What ZhiPu cannot do is a warning (seed, unknown provider options) or, for input images,
 * an UnsupportedFunctionalityError.
 */
export function requestOf(
  modelId: string,
  options: ImageModelV4CallOptions,
): { request: GenerationRequest; warnings: SharedV4Warning[] } {
  if ((options.files?.length ?? 0) > 0 || options.mask !== undefined) {
    throw new UnsupportedFunctionalityError({
      functionality: "image editing",
      message:
        "glm-image: ZhiPu's image API generates from text only; it takes no input images and no mask",
    });
  }
  const warnings: SharedV4Warning[] = [];
  if (options.seed !== undefined) {
    warnings.push({
      type: "unsupported",
      feature: "seed",
      details: "ZhiPu's image API takes no seed: every call makes a new image",
    });
  }
  const glmOptions = providerOptionsOf(options, warnings);
  const size = sizeOf(modelId, options, warnings);
  try {
    const request = parseGenerationRequest({
      prompt: options.prompt,
      model: modelId,
      size,
      quality: glmOptions.quality,
      watermark_enabled: glmOptions.watermark,
      user_id: glmOptions.userId,
    });
    return { request, warnings };
  } catch (error) {
    if (isGlmImageError(error)) throw invalid(error);
    throw error;
  }
}
