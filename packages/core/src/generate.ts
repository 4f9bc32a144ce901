import * as z from "zod";
import { GlmImageError } from "./errors.ts";
import { type ClientOptions, callApi } from "./http.ts";
import type { GenerationRequest } from "./schemas.ts";

/** ZhiPu's moderation verdicts on a request, kept beside its image. */
export const contentFilterSchema = z
  .array(
    z
      .object({
        role: z.string().describe("What was judged: `user` (the prompt), `assistant`"),
        level: z
          .number()
          .int()
          .describe("0 (most severe) to 3; 2-3 on a delivered image is a warning"),
      })
      .loose(),
  )
  .describe("ZhiPu's content filter verdicts (often empty)");
export type ContentFilter = z.infer<typeof contentFilterSchema>;

const generationResponseSchema = z.object({
  created: z.number().optional(),
  data: z.array(z.object({ url: z.string() }).loose()).optional(),
  content_filter: contentFilterSchema.optional(),
});

export interface GenerationResult {
  /** The normalised request that was sent. */
  request: GenerationRequest;
  /** The upstream image URL; it expires after 30 days. */
  url: string;
  /** Unix seconds. */
  created: number;
  contentFilter: ContentFilter;
  /** Content filter findings on an image that was still delivered. */
  warnings: string[];
}

/** Turns an upstream success body (sync or async) into a result, or the error it amounts to. */
export function resultFromAnswer(
  request: GenerationRequest,
  answer: { created?: number | undefined; url?: string | undefined; contentFilter?: ContentFilter },
): GenerationResult {
  const contentFilter = answer.contentFilter ?? [];
  if (!answer.url) {
    if (contentFilter.some((entry) => entry.level <= 1)) {
      throw new GlmImageError(
        "content_filter_violation",
        "ZhiPu's content filter withheld the image; rephrase the prompt",
        {
          status: 200,
        },
      );
    }
    throw new GlmImageError("upstream_error", "The image service answered without an image", {
      status: 200,
      retryable: true,
    });
  }
  const warnings = contentFilter.map(
    (entry) =>
      `Content filter flagged the ${entry.role} content at level ${entry.level} ` +
      "(0 most severe, 3 minor); the image was still generated",
  );
  return {
    request,
    url: answer.url,
    created: answer.created ?? Math.floor(Date.now() / 1000),
    contentFilter,
    warnings,
  };
}

export function readAnswer<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new GlmImageError("upstream_error", "The image service sent an answer of unknown shape", {
      status: 200,
    });
  }
  return parsed.data;
}

/**
 * Generates one image with `POST {base}/images/generations`. Takes a request the caller parsed
 * at its boundary (`parseGenerationRequest`), retries what may pass, maps every failure to a
 * contract error.
 */
export async function generateImage(
  request: GenerationRequest,
  options: ClientOptions,
): Promise<GenerationResult> {
  const body = await callApi("/images/generations", { method: "POST", body: request }, options);
  const answer = readAnswer(generationResponseSchema, body);
  return resultFromAnswer(request, {
    created: answer.created,
    url: answer.data?.[0]?.url,
    contentFilter: answer.content_filter ?? [],
  });
}
