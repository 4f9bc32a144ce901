export { displayUrl, validateBaseUrl } from "./base-url.ts";
export { type ContentKeyInput, contentKey } from "./content-key.ts";
export {
  DEFAULT_MAX_IMAGE_BYTES,
  type DownloadedImage,
  type DownloadOptions,
  downloadImage,
} from "./download.ts";
export {
  type EdgeOptions,
  generateImagesThroughEdge,
  generateThroughEdge,
} from "./edge-client.ts";
export {
  altText,
  DARK_VARIANT_SUFFIX,
  darkVariantPrompt,
  type EmbedSnippets,
  embedSnippets,
  pasteableUrl,
} from "./embed-snippets.ts";
export {
  clientCodeOf,
  type ErrorCode,
  type ErrorMeaning,
  type ErrorObject,
  errorCodes,
  errorRegistry,
  GlmImageError,
  isErrorCode,
  isGlmImageError,
  meaningOf,
  redact,
  toErrorObject,
  withDetails,
} from "./errors.ts";
export type { Fetch, HeaderReader, HttpAnswer } from "./fetch.ts";
export {
  type ContentFilter,
  contentFilterSchema,
  type GenerationResult,
  generateImage,
} from "./generate.ts";
export {
  type AsyncOptions,
  type AsyncResult,
  fetchImageTask,
  generateImageAsync,
  resultFromTask,
  submitImageTask,
} from "./generate-async.ts";
export {
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  INTERNATIONAL_BASE_URL,
} from "./http.ts";
export { extensionsOf, type ImageType, sniffImageType } from "./image-type.ts";
export { issueMessage } from "./issue-message.ts";
export { missingApiKey } from "./missing-api-key.ts";
export {
  DEFAULT_MODEL,
  describeSizeRule,
  formatSize,
  isValidSize,
  type ModelName,
  type ModelRules,
  modelNames,
  modelRules,
  nearestRecommendedSize,
  parseSize,
  presetSize,
  type Quality,
  qualities,
  readSize,
  type Size,
  type SizePreset,
  sizePresets,
} from "./models.ts";
export { describeNetworkFailure, type NetworkFailure } from "./network-failure.ts";
export { estimateCost, PRICES_AS_OF, type Price, prices } from "./prices.ts";
export { controlCharacterIn, normalisePrompt } from "./prompt.ts";
export {
  canonicalQuery,
  type RenderParams,
  signedRenderUrl,
  signRenderParams,
  timingSafeEqualText,
  verifyRenderSignature,
} from "./render-signature.ts";
export {
  type RetryInfo,
  type RetryOptions,
  retryDelay,
  type Sleep,
  sleep,
  withRetries,
} from "./retry.ts";
export {
  asGenerationRequest,
  errorFromIssues,
  type GenerationInput,
  type GenerationRequest,
  generationInputSchema,
  generationRequestSchema,
  MAX_PROMPT_LENGTH,
  modelSchema,
  parseGenerationRequest,
  promptSchema,
  qualitySchema,
  userIdSchema,
} from "./schemas.ts";
export {
  errorFromUpstream,
  isRetryableCode,
  parseRetryAfter,
  upstreamErrorMessage,
} from "./upstream-errors.ts";
