import { type ErrorCode, errorFromIssues, GlmImageError } from "@glm-image/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "zod";

/** An error of the service itself (auth, signature, limits), with its HTTP meaning. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    param?: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
    this.headers = headers;
  }
}

const badRequest: ReadonlySet<ErrorCode> = new Set([
  "INVALID_PROMPT",
  "INVALID_SIZE",
  "INVALID_QUALITY",
  "INVALID_MODEL",
  "INVALID_USER_ID",
  "invalid_request",
  "content_filter_violation",
]);

const paramOf: Partial<Record<ErrorCode, string>> = {
  INVALID_PROMPT: "prompt",
  INVALID_SIZE: "size",
  INVALID_QUALITY: "quality",
  INVALID_MODEL: "model",
  INVALID_USER_ID: "user_id",
};

/**
 * Generation errors: the caller's mistakes are 400, rate limits and the spent budget 429, a task
 * still running 503, the rest 502.
 */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  if (badRequest.has(code)) return 400;
  if (code === "rate_limit_exceeded" || code === "budget_exceeded") return 429;
  if (code === "TIMEOUT") return 503;
  return 502;
}

/** Seconds to wait before retrying when none were given: every 429 and 503 carries one. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

function retryAfterOf(error: GlmImageError, status: number): Record<string, string> {
  if (status !== 429 && status !== 503) return {};
  const seconds =
    error.retryAfterMs === undefined
      ? DEFAULT_RETRY_AFTER_SECONDS
      : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return { "retry-after": String(seconds) };
}

function typeOf(status: number): string {
  if (status === 503) return "service_unavailable_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** The error body: OpenAI's shape (`message`, `type`, `param`, `code`) with the contract's codes. */
export function errorResponse(context: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    return context.json(
      {
        error: {
          code: error.code,
          message: error.message,
          type: typeOf(error.status),
          param: error.param ?? null,
        },
      },
      error.status,
      error.headers,
    );
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return context.json(
      {
        error: {
          code: status === 413 ? "payload_too_large" : "invalid_request",
          message: error.message,
          type: typeOf(status),
          param: null,
        },
      },
      status,
    );
  }
  if (error instanceof GlmImageError) {
    const status = statusOf(error.code);
    return context.json(
      {
        error: {
          code: error.code,
          message: error.message,
          type: typeOf(status),
          param: paramOf[error.code] ?? null,
          ...(error.upstreamCode === undefined ? {} : { upstream_code: error.upstreamCode }),
        },
      },
      status,
      retryAfterOf(error, status),
    );
  }
  console.error(JSON.stringify({ level: "error", message: "unhandled", error: String(error) }));
  return context.json(
    {
      error: { code: "internal_error", message: "Internal error", type: "api_error", param: null },
    },
    500,
  );
}

const generationFields = new Set(["prompt", "model", "size", "quality", "user_id"]);

/** zod-openapi's validation hook: field errors with the contract's codes, others invalid_request. */
export function validationHook(
  result: { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } },
): void {
  if (result.success) return;
  const issues = result.error.issues;
  const field = String(issues[0]?.path[0] ?? "");
  if (generationFields.has(field)) throw errorFromIssues(issues);
  const message = issues
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  throw new ApiError(400, "invalid_request", message, field || undefined);
}
