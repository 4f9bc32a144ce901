import {
  contentFilterSchema,
  generationInputSchema,
  modelNames,
  promptSchema,
  qualities,
} from "@glm-image/core";
import { z } from "@hono/zod-openapi";
import { MAX_IMAGES, openAiModels, openAiQualities, openAiSizes } from "./openai/mapping.ts";

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "INVALID_SIZE" }),
      message: z.string(),
      type: z.string().openapi({ example: "invalid_request_error" }),
      param: z.string().nullable(),
      upstream_code: z
        .string()
        .optional()
        .openapi({ description: "ZhiPu's code, when it refused" }),
      upstream_message: z
        .string()
        .optional()
        .openapi({ description: "ZhiPu's own words (often Chinese); `message` is ours" }),
    }),
  })
  .openapi("Error");

/** A JSON answer of a route, for its OpenAPI `responses`. */
export const jsonAnswer = <Schema extends z.ZodType>(description: string, schema: Schema) => ({
  description,
  content: { "application/json": { schema } },
});

export const errorResponses = Object.fromEntries(
  [
    [
      400,
      "Invalid request (the contract's INVALID_* codes, invalid_request, content_filter_violation)",
    ],
    [401, "Missing or unknown bearer token"],
    [403, "Bad signature"],
    [404, "Not found"],
    [413, "Body too large"],
    [
      429,
      "Rate limited (this service's per-token or per-client limit, the upstream's after retries) or budget_exceeded; with Retry-After",
    ],
    [
      502,
      "The upstream failed: authentication_error, quota_exceeded, upstream_error (also a task given up), NETWORK_ERROR, DOWNLOAD_FAILED",
    ],
    [
      503,
      "Not ready: a paid image not stored yet (image_not_stored_yet), a generation still running past the wait (TIMEOUT: it goes on), or storage that cannot be reached (storage_unavailable); with Retry-After. Ask again: it is never paid twice",
    ],
  ].map(([status, description]) => [status, jsonAnswer(description as string, errorSchema)]),
) as Record<
  400 | 401 | 403 | 404 | 413 | 429 | 502 | 503,
  { description: string; content: { "application/json": { schema: typeof errorSchema } } }
>;

/** The answer to an Idempotency-Key sent again with another request. */
export const idempotencyErrorResponse = {
  422: jsonAnswer(
    "idempotency_key_reused: this Idempotency-Key was first sent with another request (any field, n and response_format included); nothing was generated",
    errorSchema,
  ),
};

/**
 * OpenAI's images.generate body plus ZhiPu's fields: core's input schema (prompt, watermark_enabled
 * and user_id as core validates them), with model, size and quality widened to OpenAI's names. The
 * rules (per-model sizes and qualities) are core's, applied after this schema: strictly on render
 * URLs, through the OpenAI mapping on /v1/images/generations. Unknown fields (style, background,
 * ...) are dropped.
 */
export const generationBodySchema = generationInputSchema
  .extend({
    // A copy: `.openapi` exists on schemas made after @hono/zod-openapi extended zod, and core's
    // may have been made before (a Durable Object's isolate loads core first).
    prompt: promptSchema.clone().openapi({ example: "中国水墨画风格，远山近水，云雾缭绕" }),
    model: z
      .string({ error: "model must be a string" })
      .optional()
      .openapi({
        example: "glm-image",
        description: `${modelNames.join(", ")}. On /v1/images/generations also OpenAI's ${openAiModels.join(", ")}: the default model`,
      }),
    size: z
      .string({ error: "size must be a string like 1280x1280" })
      .optional()
      .openapi({
        example: "1568x1056",
        description: `WxH (also WXH, W×H, W*H). On /v1/images/generations also auto and OpenAI's ${openAiSizes.join(", ")}: the model's nearest recommended size of the same aspect ratio (the answer's size)`,
      }),
    quality: z
      .string({ error: "quality must be a string" })
      .optional()
      .openapi({
        description: `${qualities.join(", ")}. On /v1/images/generations also ${openAiQualities.join(", ")}: mapped to the model's own`,
      }),
    n: z
      .number({ error: "n must be a number" })
      .int("n must be a whole number")
      .min(1, `n must be 1 to ${MAX_IMAGES}`)
      .max(MAX_IMAGES, `n must be 1 to ${MAX_IMAGES}; ask again for more images`)
      .optional()
      .openapi({
        description: `1 to ${MAX_IMAGES} distinct images, generated in parallel (render URLs: 1)`,
      }),
    response_format: z.enum(["url", "b64_json"]).optional(),
    user: z.string().optional().openapi({ description: "OpenAI's end-user ID; sent as user_id" }),
  })
  .openapi("GenerationRequest");

export const renderUrlBodySchema = generationBodySchema
  .extend({
    warm: z.boolean().optional().openapi({
      description:
        "Start generating now, in the background, so that the image is stored before its first view",
    }),
  })
  .openapi("RenderUrlRequest");

export const generationResponseSchema = z
  .object({
    created: z.number(),
    data: z.array(
      z.object({
        url: z.string().optional(),
        b64_json: z.string().optional(),
        revised_prompt: z.string().optional(),
      }),
    ),
    content_filter: contentFilterSchema,
    model: z.string().openapi({ description: "The model used" }),
    size: z.string().openapi({ description: "The size used (OpenAI sizes map to the model's)" }),
    quality: z.string().openapi({ description: "The quality used" }),
    stored: z.boolean().optional().openapi({
      description: "false when storing failed: url is then the upstream's, valid 30 days",
    }),
    warning: z.string().optional(),
  })
  .openapi("GenerationResponse");

/** What is kept beside each image (`ImageMetadata` in ports.ts is its type). */
export const storedMetadataSchema = z.object({
  prompt: z.string(),
  model: z.string(),
  size: z.string(),
  quality: z.string(),
  created: z.number().openapi({ description: "Unix seconds of the upstream generation" }),
  content_type: z.string(),
  bytes: z.number(),
  content_filter: contentFilterSchema,
  stored_at: z.number().openapi({ description: "Unix milliseconds when it was stored" }),
});

/** An image as the API lists it: its stored metadata with its key and URL. */
export const metadataSchema = z
  .object({ key: z.string(), url: z.string(), ...storedMetadataSchema.shape })
  .openapi("ImageMetadata");

export const keyPattern = /^[0-9a-f]{64}$/;
export const imageFilePattern = /^([0-9a-f]{64})\.(png|jpg|webp)$/;

export const imageListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(metadataSchema),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null on the last one" }),
  })
  .openapi("ImageList");

export const modelSchema = z
  .object({
    id: z.string().openapi({ example: "glm-image" }),
    object: z.literal("model"),
    created: z.number(),
    owned_by: z.string(),
    default_size: z.string(),
    recommended_sizes: z.array(z.string()),
    qualities: z.array(z.string()),
    default_quality: z.string(),
    aliases: z
      .array(z.string())
      .openapi({ description: "OpenAI names that mean this model on /v1/images/generations" }),
  })
  .openapi("Model");

export const modelListSchema = z
  .object({ object: z.literal("list"), data: z.array(modelSchema) })
  .openapi("ModelList");
