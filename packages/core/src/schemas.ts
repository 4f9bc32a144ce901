import * as z from "zod";
import { type ErrorCode, GlmImageError } from "./errors.ts";
import { issueMessage } from "./issue-message.ts";
import {
  DEFAULT_MODEL,
  describeSizeRule,
  formatSize,
  isValidSize,
  type ModelName,
  modelNames,
  modelRules,
  parseSize,
  qualities,
  readSize,
} from "./models.ts";
import { controlCharacterIn, normalisePrompt } from "./prompt.ts";

export const MAX_PROMPT_LENGTH = 1000;

// In a `u` pattern a well-formed pair is one code point; only a lone half is in Cs.
const loneSurrogate = /\p{Cs}/u;
const characterCount = (text: string) => [...text].length;

/**
 * A prompt: control characters refused, then normalised (`normalisePrompt`: NFC, white space runs
 * to one space, zero-width characters removed, trimmed), then 1 to 1000 characters.
 */
export const promptSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? "prompt is required" : "prompt must be a string",
  })
  .refine((prompt) => controlCharacterIn(prompt) === undefined, {
    error: (issue) =>
      `prompt must not contain control characters (it has ${controlCharacterIn(String(issue.input))})`,
    abort: true,
  })
  .overwrite(normalisePrompt)
  .refine((prompt) => prompt.length > 0, "prompt must not be empty")
  .refine(
    (prompt) => !loneSurrogate.test(prompt),
    "prompt must be well-formed Unicode (it has a lone surrogate)",
  )
  .refine(
    (prompt) => characterCount(prompt) <= MAX_PROMPT_LENGTH,
    `prompt must be at most ${MAX_PROMPT_LENGTH} characters`,
  );

export const modelSchema = z.enum(modelNames, {
  error: (issue) =>
    `Unknown model ${JSON.stringify(issue.input)}; use one of: ${modelNames.join(", ")}`,
});

export const qualitySchema = z.enum(qualities, {
  error: () => `quality must be one of: ${qualities.join(", ")}`,
});

export const userIdSchema = z
  .string({ error: "user_id must be a string" })
  .min(6, "user_id must be 6 to 128 characters")
  .max(128, "user_id must be 6 to 128 characters");

/**
 * What a caller may send: the ZhiPu request body, every field but `prompt` optional. Unknown
 * fields are dropped, not rejected.
 */
export const generationInputSchema = z.object({
  prompt: promptSchema,
  model: modelSchema.optional(),
  size: z.string({ error: "size must be a string like 1280x1280 or social" }).optional(),
  quality: qualitySchema.optional(),
  watermark_enabled: z.boolean({ error: "watermark_enabled must be true or false" }).optional(),
  user_id: userIdSchema.optional(),
});

export type GenerationInput = z.input<typeof generationInputSchema>;

/** A complete, normalised request: per-model defaults applied, size written `WxH`. */
export const generationRequestSchema = generationInputSchema.transform((input, context) => {
  const model: ModelName = input.model ?? DEFAULT_MODEL;
  const rules = modelRules[model];
  const size =
    input.size === undefined ? parseSize(rules.defaultSize) : readSize(model, input.size);
  if (!size || !isValidSize(model, size)) {
    context.addIssue({
      code: "custom",
      path: ["size"],
      message: `Invalid size: ${input.size} for model ${model}. ${describeSizeRule(model)}`,
    });
    return z.NEVER;
  }
  const quality = input.quality ?? rules.defaultQuality;
  if (!rules.qualities.includes(quality)) {
    context.addIssue({
      code: "custom",
      path: ["quality"],
      message: `Invalid quality: ${quality} for model ${model}; it supports: ${rules.qualities.join(", ")}`,
    });
    return z.NEVER;
  }
  return {
    model,
    prompt: input.prompt,
    size: formatSize(size),
    quality,
    watermark_enabled: input.watermark_enabled ?? true,
    ...(input.user_id === undefined ? {} : { user_id: input.user_id }),
  };
});

export type GenerationRequest = z.output<typeof generationRequestSchema>;

const codeForField: Record<string, ErrorCode> = {
  prompt: "INVALID_PROMPT",
  model: "INVALID_MODEL",
  size: "INVALID_SIZE",
  quality: "INVALID_QUALITY",
  user_id: "INVALID_USER_ID",
  watermark_enabled: "invalid_request",
};

/** The contract's error for a failed parse: the code of the first field at fault, every message. */
export function errorFromIssues(issues: readonly z.core.$ZodIssue[]): GlmImageError {
  const field = String(issues[0]?.path[0] ?? "prompt");
  const code = codeForField[field];
  const message = issues.map(issueMessage).join("; ");
  // An issue outside the known fields is blamed on the prompt, as its code says.
  if (code === undefined) return new GlmImageError("INVALID_PROMPT", message, { param: "prompt" });
  return new GlmImageError(code, message, { param: field });
}

/** Requests made by parseGenerationRequest: frozen, so that what was checked stays so. */
const parsedRequests = new WeakSet<object>();

/**
 * Validates and normalises a request, or throws a GlmImageError with a local INVALID_* code. The
 * answer is frozen and recognised by `asGenerationRequest` (and so by `generateImage`,
 * `contentKey`, ...), which do not parse it again.
 */
export function parseGenerationRequest(input: unknown): GenerationRequest {
  const result = generationRequestSchema.safeParse(input);
  if (!result.success) throw errorFromIssues(result.error.issues);
  const request = Object.freeze(result.data);
  parsedRequests.add(request);
  return request;
}

/**
 * A parsed request as it is; anything else (a plain object from JavaScript, a copy, a request
 * that crossed a process or RPC boundary) parsed: defaults applied, INVALID_* thrown. Parsing a
 * parsed request again changes nothing, so a copy gets the same answer.
 */
export function asGenerationRequest(input: GenerationInput | GenerationRequest): GenerationRequest {
  return typeof input === "object" && input !== null && parsedRequests.has(input)
    ? (input as GenerationRequest)
    : parseGenerationRequest(input);
}
