import * as z from "zod";
import { GlmImageError } from "./errors.ts";
import { type ClientOptions, callApi } from "./http.ts";
import { asGenerationRequest, type GenerationInput, type GenerationRequest } from "./schemas.ts";

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

/**
 * Turns an upstream success body (sync or async) into a result, or the error it amounts to. An
 * accepted request that answers no image may have been charged: that error is final.
 */
export function resultFromAnswer(
  request: GenerationRequest,
  answer: {
    created?: number | undefined;
    url?: string | undefined;
    contentFilter?: ContentFilter;
    requestId?: string | undefined;
    taskId?: string | undefined;
  },
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
    throw new GlmImageError(
      "upstream_error",
      "The image service accepted the request and answered without an image; it may have charged for it, so it is not sent again automatically",
      { status: 200, mayHaveCharged: true, requestId: answer.requestId, taskId: answer.taskId },
    );
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

/** The request id a 2xx answer names, if it names one. */
export const requestIdOf = (body: unknown): string | undefined => {
  const id = (body as { request_id?: unknown } | null)?.request_id;
  return typeof id === "string" ? id : undefined;
};

/**
 * Reads a 2xx answer with its schema. An answer of unknown shape to paid work (`paid`) may have
 * been charged: that error says so.
 */
export function readAnswer<T>(schema: z.ZodType<T>, body: unknown, paid = false): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new GlmImageError(
      "upstream_error",
      paid
        ? "The image service accepted the request and sent an answer of unknown shape; it may have charged for it, so it is not sent again automatically"
        : "The image service sent an answer of unknown shape",
      { status: 200, mayHaveCharged: paid, requestId: requestIdOf(body) },
    );
  }
  return parsed.data;
}

/**
 * Generates one image with `POST {base}/images/generations`. Takes a request parsed at the
 * caller's boundary (`parseGenerationRequest`) or a raw one, parsed here (INVALID_* before any
 * call); retries only what proves unpaid; maps every failure to a contract error.
 */
export async function generateImage(
  input: GenerationInput,
  options: ClientOptions,
): Promise<GenerationResult> {
  const request = asGenerationRequest(input);
  const body = await callApi("/images/generations", { method: "POST", body: request }, options);
  const answer = readAnswer(generationResponseSchema, body, true);
  return resultFromAnswer(request, {
    created: answer.created,
    url: answer.data?.[0]?.url,
    contentFilter: answer.content_filter ?? [],
    requestId: requestIdOf(body),
  });
}
