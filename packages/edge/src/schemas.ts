import { modelNames, promptSchema, qualities } from "@glm-image/core";
import { z } from "@hono/zod-openapi";

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "INVALID_SIZE" }),
      message: z.string(),
      type: z.string().openapi({ example: "invalid_request_error" }),
      param: z.string().nullable(),
    }),
  })
  .openapi("Error");

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
      "The upstream failed: authentication_error, quota_exceeded, upstream_error, TIMEOUT, NETWORK_ERROR, DOWNLOAD_FAILED",
    ],
    [
      503,
      "Not ready: a paid image not stored yet, or a task still running; with Retry-After. Ask again: it is never paid twice",
    ],
  ].map(([status, description]) => [
    status,
    { description, content: { "application/json": { schema: errorSchema } } },
  ]),
) as Record<
  400 | 401 | 403 | 404 | 413 | 429 | 502 | 503,
  { description: string; content: { "application/json": { schema: typeof errorSchema } } }
>;

/**
 * OpenAI's images.generate body plus ZhiPu's fields. The rules (per-model sizes and qualities) are
 * core's, applied after this schema; unknown fields (style, background, ...) are dropped.
 */
export const generationBodySchema = z
  .object({
    prompt: promptSchema.openapi({ example: "中国水墨画风格，远山近水，云雾缭绕" }),
    model: z.enum(modelNames).optional().openapi({ example: "glm-image" }),
    size: z
      .string()
      .optional()
      .openapi({ example: "1568x1056", description: "WxH (also WXH, W×H, W*H)" }),
    quality: z.enum(qualities).optional(),
    n: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Only 1: identical requests return the same stored image" }),
    response_format: z.enum(["url", "b64_json"]).optional(),
    user: z.string().optional().openapi({ description: "OpenAI's end-user ID; sent as user_id" }),
    watermark_enabled: z.boolean().optional(),
    user_id: z.string().optional(),
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

export const contentFilterSchema = z.array(z.object({ role: z.string(), level: z.number() }));

export const generationResponseSchema = z
  .object({
    created: z.number(),
    data: z.array(z.object({ url: z.string().optional(), b64_json: z.string().optional() })),
    content_filter: contentFilterSchema,
    stored: z.boolean().optional().openapi({
      description: "false when storing failed: url is then the upstream's, valid 30 days",
    }),
    warning: z.string().optional(),
  })
  .openapi("GenerationResponse");

export const metadataSchema = z
  .object({
    key: z.string(),
    url: z.string(),
    prompt: z.string(),
    model: z.string(),
    size: z.string(),
    quality: z.string(),
    created: z.number(),
    content_type: z.string(),
    bytes: z.number(),
    content_filter: contentFilterSchema,
    stored_at: z.number().openapi({ description: "Unix milliseconds when it was stored" }),
  })
  .openapi("ImageMetadata");

export const keyPattern = /^[0-9a-f]{64}$/;
export const imageFilePattern = /^([0-9a-f]{64})\.(png|jpg|webp)$/;
