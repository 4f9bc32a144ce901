import { type ImageModelV4, NoSuchModelError, type ProviderV4 } from "@ai-sdk/provider";
import type { GlmImageProviderSettings } from "./connection.ts";
import { GlmImageModel, type GlmImageModelId } from "./image-model.ts";

/** `glmImage("glm-image")`, `glmImage.image(...)` and the AI SDK's provider interface. */
export interface GlmImageProvider extends ProviderV4 {
  (modelId: GlmImageModelId): ImageModelV4;
  image(modelId: GlmImageModelId): ImageModelV4;
  imageModel(modelId: GlmImageModelId): ImageModelV4;
}

/**
 * A glm-image provider for the AI SDK. Nothing is read or checked here: the key, the base URL
 * and the environment are read when an image is asked for.
 */
export function createGlmImage(settings: GlmImageProviderSettings = {}): GlmImageProvider {
  const image = (modelId: GlmImageModelId) => new GlmImageModel(modelId, settings);
  const noSuchModel = (modelType: "languageModel" | "embeddingModel") => (modelId: string) => {
    throw new NoSuchModelError({
      modelId,
      modelType,
      message: `glm-image makes images only: no ${modelType} ${JSON.stringify(modelId)}`,
    });
  };
  return Object.assign(image, {
    specificationVersion: "v4" as const,
    image,
    imageModel: image,
    languageModel: noSuchModel("languageModel"),
    embeddingModel: noSuchModel("embeddingModel"),
  });
}

/** The default provider: ZHIPU_API_KEY and ZHIPU_BASE_URL (or GLM_IMAGE_EDGE_URL and _TOKEN). */
export const glmImage: GlmImageProvider = createGlmImage();
