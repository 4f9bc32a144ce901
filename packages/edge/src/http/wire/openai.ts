import {
  DEFAULT_MODEL,
  type GenerationRequest,
  GlmImageError,
  isValidSize,
  type ModelName,
  modelNames,
  modelRules,
  nearestRecommendedSize,
  parseGenerationRequest,
  parseSize,
  type Quality,
} from "@glm-image/core";

/** OpenAI's image model names: on the OpenAI route, aliases of the default model. */
export const openAiModels = [
  "dall-e-2",
  "dall-e-3",
  "gpt-image-1",
  "gpt-image-1-mini",
  "gpt-image-1.5",
] as const;

/** The sizes OpenAI's image models take; `auto` too. */
export const openAiSizes = [
  "256x256",
  "512x512",
  "1024x1024",
  "1536x1024",
  "1024x1536",
  "1792x1024",
  "1024x1792",
] as const;

export const openAiQualities = ["standard", "hd", "low", "medium", "high", "auto"] as const;

export const MAX_IMAGES = 4;

/** What the OpenAI route reads from a body; everything else is ignored. */
export interface OpenAiFields {
  prompt: string;
  model?: string | undefined;
  size?: string | undefined;
  quality?: string | undefined;
  n?: number | undefined;
  user?: string | undefined;
  user_id?: string | undefined;
  watermark_enabled?: boolean | undefined;
}

function modelOf(model: string | undefined): ModelName {
  if (model === undefined) return DEFAULT_MODEL;
  if ((modelNames as readonly string[]).includes(model)) return model as ModelName;
  if ((openAiModels as readonly string[]).includes(model)) return DEFAULT_MODEL;
  throw new GlmImageError(
    "INVALID_MODEL",
    `Unknown model ${JSON.stringify(model)}; use one of: ${modelNames.join(", ")} (or OpenAI's ${openAiModels.join(", ")}, which mean ${DEFAULT_MODEL})`,
    { param: "model" },
  );
}

function sizeOf(model: ModelName, size: string | undefined): string | undefined {
  if (size === undefined || size === "auto") return undefined;
  const parsed = parseSize(size);
  // Not one of OpenAI's sizes, or already valid: the model's own rules decide.
  if (!parsed || isValidSize(model, parsed) || !(openAiSizes as readonly string[]).includes(size)) {
    return size;
  }
  return nearestRecommendedSize(model, parsed);
}

function qualityOf(model: ModelName, quality: string | undefined): Quality | undefined {
  if (quality === undefined || quality === "auto") return undefined;
  if (!(openAiQualities as readonly string[]).includes(quality)) {
    throw new GlmImageError(
      "INVALID_QUALITY",
      `Unknown quality ${JSON.stringify(quality)}; use one of: ${openAiQualities.join(", ")}`,
      { param: "quality" },
    );
  }
  const wanted: Quality = quality === "hd" || quality === "high" ? "hd" : "standard";
  const rules = modelRules[model];
  return rules.qualities.includes(wanted) ? wanted : rules.defaultQuality;
}

/**
 * The OpenAI route's reading of a body: OpenAI's model names, sizes and qualities become the
 * nearest the model has (the answer says which); ZhiPu's own values pass through under its rules.
 */
export function requestFromOpenAi(fields: OpenAiFields): { request: GenerationRequest; n: number } {
  const n = fields.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_IMAGES) {
    throw new GlmImageError(
      "invalid_request",
      `n must be 1 to ${MAX_IMAGES}; ask again for more images`,
      {
        param: "n",
      },
    );
  }
  const model = modelOf(fields.model);
  const request = parseGenerationRequest({
    prompt: fields.prompt,
    model,
    size: sizeOf(model, fields.size),
    quality: qualityOf(model, fields.quality),
    watermark_enabled: fields.watermark_enabled,
    user_id: fields.user_id ?? fields.user,
  });
  return { request, n };
}
