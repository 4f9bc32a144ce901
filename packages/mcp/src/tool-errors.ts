// Every failure of a tool as data: a stable code and an English message, never a protocol error.
import {
  errorFromIssues,
  GlmImageError,
  generationInputSchema,
  isGlmImageError,
  issueMessage,
  toErrorObject,
} from "@glm-image/core";
import type * as z from "zod";

/** The `error` of a failed tool call, in its text and its structuredContent. */
export interface ToolErrorObject {
  code: string;
  message: string;
  /** The argument at fault, for bad input. */
  param?: string;
  status?: number;
  upstream_code?: string;
  upstream_message?: string;
}

const coreFields = new Set(Object.keys(generationInputSchema.shape));
/** Tool arguments that are core's request fields under another name. */
const coreFieldOf: Record<string, string> = {
  watermark: "watermark_enabled",
  dark_prompt: "prompt",
};

/**
 * Bad tool arguments as the contract's error: the INVALID_* code of the request field at fault
 * (core's table), `invalid_request` for the tools' own arguments; every issue in the message.
 */
export function inputError(issues: readonly z.core.$ZodIssue[]): GlmImageError {
  const first = issues[0];
  const argument = first?.path.findLast((segment) => typeof segment === "string");
  const message = issues.map(issueMessage).join("; ");
  const options = argument === undefined ? {} : { param: argument };
  const field = argument === undefined ? undefined : (coreFieldOf[argument] ?? argument);
  if (first === undefined || field === undefined || !coreFields.has(field)) {
    return new GlmImageError("invalid_request", message, options);
  }
  return new GlmImageError(errorFromIssues([{ ...first, path: [field] }]).code, message, options);
}

/** Any thrown value as a tool error: the family's errors as they are, a cancelled call INTERRUPTED. */
export function toToolError(error: unknown): ToolErrorObject {
  if (isGlmImageError(error)) {
    return { ...error.toJSON(), ...(error.param === undefined ? {} : { param: error.param }) };
  }
  if (error instanceof Error && error.name === "AbortError") {
    return { code: "INTERRUPTED", message: "The call was cancelled" };
  }
  return toErrorObject(error);
}
