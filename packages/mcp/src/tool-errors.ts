// Every failure of a tool as data: a stable code and an English message, never a protocol error.
import {
  type ErrorCode,
  errorFromIssues,
  GlmImageError,
  generationInputSchema,
  issueMessage,
  toErrorObject,
} from "@glm-image/core";
import type * as z from "zod";

/** Core's codes, and the MCP face's own: `not_found` as on the edge. */
export type ToolErrorCode = ErrorCode | "not_found";

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

/** A failure the MCP face itself reports (`not_found`), with a code in the contract's style. */
export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly code: ToolErrorCode;
  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.code = code;
  }
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

/** Any thrown value as a tool error: core's errors as they are, another coded error by its code. */
export function toToolError(error: unknown): ToolErrorObject {
  if (error instanceof GlmImageError) {
    return { ...error.toJSON(), ...(error.param === undefined ? {} : { param: error.param }) };
  }
  if (error instanceof ToolError) return { code: error.code, message: error.message };
  // A face's own error class (the edge's ApiError) carries its code the same way.
  if (error instanceof Error && typeof (error as { code?: unknown }).code === "string") {
    return { code: (error as Error & { code: string }).code, message: error.message };
  }
  if (error instanceof Error && error.name === "AbortError") {
    return { code: "INTERRUPTED", message: "The call was cancelled" };
  }
  return toErrorObject(error);
}
