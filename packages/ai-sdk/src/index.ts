export type { GlmImageProviderOptions } from "./call-options.ts";
export type { GlmImageProviderSettings } from "./connection.ts";
export { type GlmImageImageMetadata, GlmImageModel, type GlmImageModelId } from "./image-model.ts";
export { createGlmImage, type GlmImageProvider, glmImage } from "./provider.ts";
