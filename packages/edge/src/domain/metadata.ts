import { contentFilterSchema } from "@glm-image/core";
import * as z from "zod";

/** What is kept beside each image: the JSON object stored next to its bytes. */
export const storedMetadataSchema = z.object({
  prompt: z.string().describe("The prompt, trimmed"),
  model: z.string().describe("The model that made it"),
  size: z.string().describe("`WxH` as sent to ZhiPu"),
  quality: z.string().describe("`hd` or `standard`"),
  created: z.number().describe("Unix seconds of the upstream generation"),
  content_type: z
    .string()
    .describe("Read from the bytes (`image/png`, `image/jpeg`, `image/webp`)"),
  bytes: z.number().describe("The stored size in bytes"),
  content_filter: contentFilterSchema,
  stored_at: z.number().describe("Unix milliseconds when it was stored"),
});

export type ImageMetadata = z.infer<typeof storedMetadataSchema>;
