import { type ErrorCode, errorFromIssues, GlmImageError, issueMessage } from "@glm-image/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "zod";

/** The service's own error codes (auth, signatures, routes, limits), beside core's `ErrorCode`s. */
export const serviceErrorCodes = [
  "unauthorized",
  "invalid_signature",
  "not_found",
  "method_not_allowed",
  "payload_too_large",
  "rate_limit_exceeded",
  "image_not_stored_yet",
  "invalid_request",
] as const;

export type ServiceErrorCode = (typeof serviceErrorCodes)[number];

/**
 * The one table from codes to HTTP statuses. Core's codes: the caller's mistakes are 400, an
 * Idempotency-Key reused for another request 422 (not 409, which OpenAI's clients retry), rate
 * limits and the spent budget 429, a task still running and storage down 503, the rest 502.
 */
const httpStatus: Record<ErrorCode | ServiceErrorCode, ContentfulStatusCode> = {
  unauthorized: 401,
  invalid_signature: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  image_not_stored_yet: 503,
  invalid_request: 400,
  INVALID_PROMPT: 400,
  INVALID_SIZE: 400,
  INVALID_QUALITY: 400,
  INVALID_MODEL: 400,
  INVALID_USER_ID: 400,
  content_filter_violation: 400,
  rate_limit_exceeded: 429,
  budget_exceeded: 429,
  TIMEOUT: 503,
  storage_unavailable: 503,
  MISSING_API_KEY: 502,
  INVALID_BASE_URL: 502,
  INVALID_PATH: 502,
  authentication_error: 502,
  quota_exceeded: 502,
  upstream_error: 502,
  NETWORK_ERROR: 502,
  DOWNLOAD_FAILED: 502,
  INTERRUPTED: 502,
};

export interface ApiErrorOptions {
  /** The request field or parameter at fault. */
  param?: string;
  /** Headers for the answer (`www-authenticate`, `retry-after`, `allow`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error of the service itself, with its HTTP meaning from its code. Generation errors are
 * core's `GlmImageError`, never an ApiError.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ServiceErrorCode;
  readonly status: ContentfulStatusCode;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ServiceErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = httpStatus[code];
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
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
    const status = httpStatus[error.code];
    if (error.code === "storage_unavailable" && error.cause !== undefined) {
      // The failure's own words are for the logs only: they may name an internal endpoint.
      console.error(
        JSON.stringify({ level: "error", message: error.message, cause: String(error.cause) }),
      );
    }
    return context.json(
      {
        error: {
          code: error.code,
          message: error.message,
          type: typeOf(status),
          param: error.param ?? null,
          ...(error.upstreamCode === undefined ? {} : { upstream_code: error.upstreamCode }),
          ...(error.upstreamMessage === undefined
            ? {}
            : { upstream_message: error.upstreamMessage }),
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

/**
 * zod-openapi's validation hook: field errors with the contract's codes, others invalid_request,
 * every message in the house style (core's `issueMessage`), never zod's raw text.
 */
export function validationHook(
  result: { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } },
): void {
  if (result.success) return;
  const issues = result.error.issues;
  const field = String(issues[0]?.path[0] ?? "");
  if (generationFields.has(field)) throw errorFromIssues(issues);
  const message = issues.map(issueMessage).join("; ");
  throw new ApiError("invalid_request", message, field ? { param: field } : {});
}
