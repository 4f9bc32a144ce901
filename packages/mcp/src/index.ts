export { DEFAULT_MAX_IMAGE_BYTES } from "./image-content.ts";
export type {
  CallOptions,
  GeneratedImage,
  GenerateOptions,
  ImagePage,
  ImageService,
  ProgressUpdate,
  StoredImage,
} from "./image-service.ts";
export { DEFAULT_PROGRESS_INTERVAL_MS } from "./progress.ts";
export { PRICES_URI, SIZES_URI } from "./resources.ts";
export { storedImageSchema } from "./schemas.ts";
export { createGlmImageMcpServer, type GlmImageMcpServerOptions } from "./server.ts";
export type { ToolErrorObject } from "./tool-errors.ts";
