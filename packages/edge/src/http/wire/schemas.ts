import {
  contentFilterSchema,
  generationInputSchema,
  modelNames,
  promptSchema,
  qualities,
} from "@glm-image/core";
import { z } from "@hono/zod-openapi";
import { storedMetadataSchema } from "../../domain/metadata.ts";
import { ADMINS } from "../../domain/tenants.ts";
import { MAX_IMAGES, openAiModels, openAiQualities, openAiSizes } from "./openai.ts";

const errorSchema = z
  .object({
    error: z
      .object({
        code: z.string().openapi({
          example: "INVALID_SIZE",
          description: "A stable code: the contract's (`INVALID_SIZE`, `quota_exceeded`, ...)",
        }),
        message: z.string().openapi({ description: "What went wrong and what to do, in English" }),
        type: z.string().openapi({
          example: "invalid_request_error",
          description: "OpenAI's error type for the status (`invalid_request_error`, ...)",
        }),
        param: z
          .string()
          .nullable()
          .openapi({ description: "The field or parameter at fault, when there is one" }),
        upstream_code: z
          .string()
          .optional()
          .openapi({ description: "ZhiPu's code, when it refused" }),
        upstream_message: z
          .string()
          .optional()
          .openapi({ description: "ZhiPu's own words (often Chinese); `message` is ours" }),
      })
      .openapi({ description: "OpenAI's error shape with the contract's codes" }),
  })
  .openapi("Error");

/** An error answer's content: the `Error` schema as JSON. */
export const errorJson = { "application/json": { schema: errorSchema } };

/** A JSON answer of a route, for its OpenAPI `responses`. */
export const jsonAnswer = <Schema extends z.ZodType>(description: string, schema: Schema) => ({
  description,
  content: { "application/json": { schema } },
});

export type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 422 | 429 | 502 | 503;
type ErrorAnswer = ReturnType<typeof jsonAnswer<typeof errorSchema>>;

/**
 * The error answers of one route: only the statuses it can give, each described (Markdown) as it
 * happens on that route. Every error body is the `Error` schema.
 */
export function errorAnswers<Descriptions extends Partial<Record<ErrorStatus, string>>>(
  descriptions: Descriptions,
): { [Status in keyof Descriptions]: ErrorAnswer } {
  return Object.fromEntries(
    Object.entries(descriptions).map(([status, description]) => [
      status,
      jsonAnswer(description as string, errorSchema),
    ]),
  ) as { [Status in keyof Descriptions]: ErrorAnswer };
}

/** What every `/v1/` route can answer before it runs: the bearer token and its rate limit. */
export const tokenErrors = {
  401: "`unauthorized`: no `Authorization: Bearer <token>`, or a token that is in neither `API_TOKENS` nor `ADMIN_TOKENS` (a token kept hashed, `name:sha256:<hex>`, is sent as the token itself, never as its digest)",
  429: "`rate_limit_exceeded`: this tenant's requests per minute are spent; with `Retry-After`",
} as const;

/** What a `/v1/` route that takes a JSON body can also answer. */
export const bodyErrors = {
  413: "`payload_too_large`: the body is larger than 64 KiB",
} as const;

/** What a route that pays for a new image can also answer: ZhiPu's failures and the budgets. */
export const generationErrors = {
  400: "Refused before anything is paid: `INVALID_PROMPT`, `INVALID_SIZE`, `INVALID_QUALITY`, `INVALID_MODEL`, `INVALID_USER_ID`, `invalid_request` (another field); or ZhiPu's `content_filter_violation`",
  429: "`rate_limit_exceeded` (this token's requests, or ZhiPu's rate limit after retries) or `budget_exceeded` (the service's `MAX_GENERATIONS_PER_DAY`, or the tenant's own daily budget: its entry's `name:token:N` or `TENANT_GENERATIONS_PER_DAY`; the message says whose); with `Retry-After`",
  502: "ZhiPu failed: `authentication_error`, `quota_exceeded`, `upstream_error` (also a task ZhiPu never finished, given up after `TASK_GIVE_UP_SECONDS`), `NETWORK_ERROR`, `DOWNLOAD_FAILED`, or `MISSING_API_KEY` (the service has no `ZHIPU_API_KEY`)",
  503: "`TIMEOUT` (the generation runs past this route's wait and goes on: ask again), `image_not_stored_yet` (paid for, storing failed: it will be, without paying again) or `storage_unavailable` (nothing paid); with `Retry-After`. A paid image is never paid twice",
} as const;

/** What a route that reads or writes the store can also answer. */
export const storageErrors = {
  503: "`storage_unavailable`: the image store, Deno KV or a Durable Object cannot be reached; nothing was paid; with `Retry-After`",
} as const;

/** What a route that takes an `Idempotency-Key` can also answer. */
export const idempotencyErrors = {
  422: "`idempotency_key_reused`: this `Idempotency-Key` was first sent with another request (any field, `n` and `response_format` included); nothing was generated",
} as const;

/**
 * OpenAI's images.generate body plus ZhiPu's fields: core's input schema (prompt, watermark_enabled
 * and user_id as core validates them), with model, size and quality widened to OpenAI's names. The
 * rules (per-model sizes and qualities) are core's, applied after this schema: strictly on render
 * URLs, through the OpenAI mapping on /v1/images/generations. Unknown fields (style, background,
 * ...) are dropped.
 */
export const generationBodySchema = generationInputSchema
  .extend({
    // Core's schemas take `.meta`, never `.openapi`: core may be loaded before @hono/zod-openapi
    // extends zod, and `.openapi` only exists on schemas made after that.
    prompt: promptSchema.meta({
      example: "中国水墨画风格，远山近水，云雾缭绕",
      description: "What to draw: 1 to 1000 characters after trimming, any language",
    }),
    model: z
      .string({ error: "model must be a string" })
      .optional()
      .openapi({
        example: "glm-image",
        description: `${modelNames.map((name) => `\`${name}\``).join(", ")} (default \`glm-image\`). On \`/v1/images/generations\` also OpenAI's ${openAiModels.map((name) => `\`${name}\``).join(", ")}: the default model`,
      }),
    size: z
      .string({ error: "size must be a string like 1280x1280" })
      .optional()
      .openapi({
        example: "1568x1056",
        description: `\`WxH\` (also \`WXH\`, \`W×H\`, \`W*H\`), within the model's rules; default the model's (\`1280x1280\` for glm-image). On \`/v1/images/generations\` also \`auto\` and OpenAI's ${openAiSizes.map((size) => `\`${size}\``).join(", ")}: the model's nearest recommended size of the same aspect ratio (the answer's \`size\`)`,
      }),
    quality: z
      .string({ error: "quality must be a string" })
      .optional()
      .openapi({
        description: `${qualities.map((quality) => `\`${quality}\``).join(" or ")}; default the model's (glm-image: \`hd\`, its only one). On \`/v1/images/generations\` also ${openAiQualities.map((quality) => `\`${quality}\``).join(", ")}: mapped to the model's own`,
      }),
    watermark_enabled: generationInputSchema.shape.watermark_enabled.meta({
      description:
        "ZhiPu's visible watermark (default `true`); `false` where the account allows it",
    }),
    user_id: generationInputSchema.shape.user_id.meta({
      description: "ZhiPu's end-user ID for moderation, 6 to 128 characters",
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
    response_format: z.enum(["url", "b64_json"]).optional().openapi({
      description:
        "`url` (default): the permanent URL of the stored image; `b64_json`: its bytes in the answer",
    }),
    user: z.string().optional().openapi({ description: "OpenAI's end-user ID; sent as `user_id`" }),
  })
  .openapi("GenerationRequest");

/** POST /v1/images/generations: the generation body, and OpenAI's fields that shape the answer. */
export const openAiGenerationBodySchema = generationBodySchema
  .extend({
    response_format: z.enum(["url", "b64_json"]).optional().openapi({
      description:
        "`url` (the stored image's URL) or `b64_json` (its bytes); default `b64_json` for `gpt-image-*`, else `url`, as OpenAI",
    }),
    output_format: z.string().optional().openapi({
      description: "`png` only",
    }),
    background: z.string().optional().openapi({
      description: "`auto` or `opaque` (not `transparent`)",
    }),
    moderation: z.string().optional().openapi({
      description: "`auto` or `low`",
    }),
    output_compression: z.number().optional().openapi({
      description: "0 to 100; no effect on PNG",
    }),
    stream: z.boolean().optional().openapi({
      description: "`true`: an event stream, one `image_generation.completed` per image",
    }),
    partial_images: z.number().optional().openapi({
      description: "0 only",
    }),
  })
  .openapi("OpenAiGenerationRequest");

export const renderUrlBodySchema = generationBodySchema
  .extend({
    warm: z.boolean().optional().openapi({
      description:
        "Start generating now, in the background, so that the image is stored before its first view",
    }),
    dark: z
      .object({
        prompt: z.string().optional().openapi({
          description:
            "The dark variant's own prompt; without it, the light prompt followed by `, dark theme: a dark, near-black background with light foreground colours, for a page in dark mode`",
        }),
      })
      .optional()
      .openapi({
        description:
          "Also a dark-mode variant: the same request with a dark-theme prompt, signed (and warmed) like the light one; the answer then carries `dark_url` and the `picture` and `markdown` snippets",
      }),
  })
  .openapi("RenderUrlRequest");

export const generationResponseSchema = z
  .object({
    created: z.number().openapi({ description: "Unix seconds of the upstream generation" }),
    data: z
      .array(
        z.object({
          url: z.string().optional().openapi({
            description: "The image's permanent URL here (`/images/<key>.<ext>`)",
          }),
          b64_json: z.string().optional().openapi({
            description: "The image's bytes, base64, with `response_format: b64_json`",
          }),
          revised_prompt: z
            .string()
            .optional()
            .openapi({ description: "The prompt as sent (trimmed): the models rewrite none" }),
        }),
      )
      .openapi({ description: "One entry per image asked for (`n`)" }),
    content_filter: contentFilterSchema,
    model: z.string().openapi({ description: "The model used" }),
    size: z.string().openapi({ description: "The size used (OpenAI sizes map to the model's)" }),
    quality: z.string().openapi({ description: "The quality used" }),
    stored: z.boolean().optional().openapi({
      description: "`false` when storing failed: `url` is then the upstream's, valid 30 days",
    }),
    warning: z
      .string()
      .optional()
      .openapi({ description: "Why the image is not stored yet, with `stored: false`" }),
    output_format: z.string().optional().openapi({ description: "`png`, for `gpt-image-*`" }),
    background: z.string().optional().openapi({ description: "`opaque`, for `gpt-image-*`" }),
    usage: z
      .object({
        input_tokens: z.number().openapi({ description: "0" }),
        output_tokens: z.number().openapi({ description: "0" }),
        total_tokens: z.number().openapi({ description: "0" }),
        input_tokens_details: z
          .object({
            text_tokens: z.number().openapi({ description: "0" }),
            image_tokens: z.number().openapi({ description: "0" }),
          })
          .openapi({ description: "0 of each" }),
      })
      .optional()
      .openapi({ description: "For `gpt-image-*`: 0 tokens (priced per image)" }),
  })
  .openapi("GenerationResponse");

/** An image as the API lists it: its stored metadata with its key and URL. */
export const metadataSchema = z
  .object({
    key: z.string().openapi({
      description:
        "The content key: SHA-256 hex of what decides the image (model, prompt, size, quality, watermark)",
    }),
    url: z.string().openapi({ description: "The image's permanent public URL" }),
    ...storedMetadataSchema.omit({ owners: true }).shape,
    owners: z
      .array(z.string())
      .optional()
      .openapi({
        description: `Admins only: the tenants that own the image (\`${ADMINS}\`: images stored before tenants, and those of render URLs signed without one)`,
      }),
  })
  .openapi("ImageMetadata");

export const keyPattern = /^[0-9a-f]{64}$/;
export const imageFilePattern = /^([0-9a-f]{64})\.(png|jpg|webp)$/;

/** OpenAI's list marker. */
const listObject = z.literal("list").openapi({ description: "Always `list` (OpenAI's shape)" });

export const imageListSchema = z
  .object({
    object: listObject,
    data: z.array(metadataSchema).openapi({ description: "This page's images, newest first" }),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; `null` on the last one" }),
  })
  .openapi("ImageList");

export const modelSchema = z
  .object({
    id: z.string().openapi({ example: "glm-image", description: "ZhiPu's model name" }),
    object: z.literal("model").openapi({ description: "Always `model` (OpenAI's shape)" }),
    created: z.number().openapi({ description: "Unix seconds (a fixed date for every model)" }),
    owned_by: z.string().openapi({ description: "Always `zhipu`" }),
    default_size: z.string().openapi({ description: "The size used when none is given" }),
    recommended_sizes: z
      .array(z.string())
      .openapi({ description: "The sizes ZhiPu recommends; always valid" }),
    qualities: z.array(z.string()).openapi({ description: "The qualities it takes" }),
    default_quality: z.string().openapi({ description: "The quality used when none is given" }),
    aliases: z.array(z.string()).openapi({
      description: "OpenAI names that mean this model on `/v1/images/generations`",
    }),
  })
  .openapi("Model");

export const modelListSchema = z
  .object({
    object: listObject,
    data: z.array(modelSchema).openapi({ description: "Every model" }),
  })
  .openapi("ModelList");

const priceSchema = z.object({
  cny: z.number().openapi({ description: "Chinese yuan" }),
  usd: z.number().openapi({ description: "US dollars" }),
});

export const tenantUsageSchema = z
  .object({
    tenant: z.string().openapi({
      description: `The tenant's name (\`${ADMINS}\`: render URLs signed without a tenant)`,
      example: "alice",
    }),
    paid_generations: z.number().openapi({ description: "New (paid) images today" }),
    by_model: z
      .record(z.string(), z.number())
      .openapi({ description: "The paid images by model", example: { "glm-image": 3 } }),
    cached_hits: z.number().openapi({
      description:
        "Images got without paying today: from the store, or from a generation under way (API calls and /render misses; views of a stored render image are not counted)",
    }),
    estimated_cost: priceSchema.openapi({
      description: "The list price of the paid images (core's price table, as the CLI's)",
    }),
    daily_limit: z.number().nullable().openapi({
      description:
        "The tenant's daily budget of new images (its token entry's `name:token:N`, or `TENANT_GENERATIONS_PER_DAY`); null: none",
    }),
  })
  .openapi("TenantUsage");

export const usageSchema = z
  .object({
    object: z.literal("usage").openapi({ description: "Always `usage`" }),
    day: z.string().openapi({ description: "The UTC day counted", example: "2026-07-01" }),
    tenant: z.string().openapi({ description: "The caller's name" }),
    admin: z.boolean().openapi({ description: "Whether the caller is an admin (`ADMIN_TOKENS`)" }),
    data: z.array(tenantUsageSchema).openapi({
      description: `The caller's usage; an admin's: every tenant's, and \`${ADMINS}\``,
    }),
  })
  .openapi("Usage");
