// The zod schemas of the tools' inputs and outputs. Request fields are core's schemas (their
// messages, their rules); `watermark` is the MCP name of ZhiPu's `watermark_enabled`.
import {
  contentFilterSchema,
  generationInputSchema,
  modelNames,
  modelRules,
  qualities,
} from "@glm-image/core";
import * as z from "zod";

const core = generationInputSchema.shape;
const glmSizes = modelRules["glm-image"].recommendedSizes.join(", ");
const cogViewSizes = modelRules["cogview-4"].recommendedSizes.join(", ");

/** The fields of one generation request, as the tools take them. */
export const requestInputSchema = z.object({
  prompt: core.prompt.describe(
    "What to draw, 1 to 1000 characters, Chinese or English. Put words to be written in the image in quotes and say where they go.",
  ),
  model: core.model.describe(`${modelNames.join(", ")}; default glm-image`),
  size: core.size.describe(
    `WxH. glm-image: ${glmSizes} (default 1280x1280), or 1024-2048 in multiples of 32; cogview models: ${cogViewSizes} (default 1024x1024)`,
  ),
  quality: core.quality.describe(
    `${qualities.join(" or ")}; glm-image takes hd only, cogview models default to standard`,
  ),
  watermark: z
    .boolean({ error: "watermark must be true or false" })
    .optional()
    .describe("ZhiPu's visible watermark; default true. false needs ZhiPu's signed disclaimer"),
});

export const generateInputSchema = requestInputSchema.extend({
  user_id: core.user_id.describe("The end user's ID, for ZhiPu's moderation, 6-128 characters"),
  include_image: z
    .boolean({ error: "include_image must be true or false" })
    .optional()
    .describe(
      "Also return the image itself (at most about 1 MiB) for you to look at. Default false: a link is enough to show or save it",
    ),
});

export const MAX_ESTIMATE_REQUESTS = 100;

export const estimateInputSchema = requestInputSchema.partial({ prompt: true }).extend({
  requests: z
    .array(
      requestInputSchema.extend({
        path: z
          .string({ error: "path must be a string" })
          .max(1024, "path must be at most 1024 characters")
          .optional()
          .describe("Where the image is to go (a manifest's path); given back as it is"),
      }),
      { error: "requests must be a list of requests" },
    )
    .min(1, "requests must list at least one request")
    .max(MAX_ESTIMATE_REQUESTS, `requests must list at most ${MAX_ESTIMATE_REQUESTS} requests`)
    .optional()
    .describe("Several requests, as in a manifest (instead of prompt and the other fields)"),
});

export const listInputSchema = z.object({
  cursor: z
    .string({ error: "cursor must be a string" })
    .max(1024, "cursor must be at most 1024 characters")
    .optional()
    .describe("next_cursor of the previous page"),
  limit: z
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be 1 to 100")
    .max(100, "limit must be 1 to 100")
    .optional()
    .describe("Images per page, 1 to 100; default 20"),
});

export const keyInputSchema = z.object({
  key: z
    .string({
      error: (issue) => (issue.input === undefined ? "key is required" : "key must be a string"),
    })
    .min(1, "key must not be empty")
    .max(256, "key must be at most 256 characters")
    .describe("The image's key, from generate_image or list_images"),
});

/** Render URLs carry prompt, model, size and quality only (no watermark, no user). */
export const embedInputSchema = requestInputSchema.omit({ watermark: true }).extend({
  dark_prompt: core.prompt
    .optional()
    .describe("A variant for dark mode: the <picture> and Markdown then switch by colour scheme"),
  alt: z
    .string({ error: "alt must be a string" })
    .max(300, "alt must be at most 300 characters")
    .optional()
    .describe("The alternative text; default the prompt"),
});

export const costSchema = z.object({
  cny: z.number().describe("Chinese yuan, list price"),
  usd: z.number().describe("US dollars, list price"),
});

export const storedImageSchema = z.object({
  key: z.string(),
  url: z.string().describe("Permanent: the edge's image URL, or the saved file as a file:// URI"),
  prompt: z.string(),
  model: z.string(),
  size: z.string(),
  quality: z.string(),
  created: z.number().describe("Unix seconds of the generation"),
  content_type: z.string(),
  bytes: z.number().int(),
  content_filter: contentFilterSchema,
});

export const generateOutputSchema = storedImageSchema.extend({
  cached: z.boolean().describe("true: it was kept already and nothing was paid"),
  cost: costSchema.describe("What this call cost: zero when cached"),
  warnings: z.array(z.string()).describe("Content filter findings on a delivered image"),
});

export const estimateOutputSchema = z.object({
  images: z.array(
    z.object({
      path: z.string().optional(),
      prompt: z.string(),
      model: z.string(),
      size: z.string(),
      quality: z.string(),
      cached: z.boolean().describe("Kept already: it costs nothing"),
      cost: costSchema,
    }),
  ),
  planned: z.number().int().describe("New images that would be paid for"),
  cached: z.number().int().describe("Images kept already"),
  cost: costSchema.describe("The total that would be paid"),
  prices_as_of: z.string(),
});

export const listOutputSchema = z.object({
  images: z.array(storedImageSchema),
  next_cursor: z
    .string()
    .optional()
    .describe("Pass as cursor for the next page; absent at the end"),
});

export const deleteOutputSchema = z.object({ key: z.string(), deleted: z.literal(true) });

export const embedOutputSchema = z.object({
  url: z.string().describe("The signed render URL: the same image on every view, generated once"),
  dark_url: z.string().optional(),
  markdown: z.string(),
  html: z.string(),
  picture: z.string().describe("A <picture> element (light and dark variants when dark_prompt)"),
});
