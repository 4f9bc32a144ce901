import {
  errorFromIssues,
  GlmImageError,
  isGlmImageError,
  issueMessage,
  meaningOf,
} from "@glm-image/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "zod";

/** Seconds to wait before retrying when none were given: every 429 and 503 carries one. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

/** The headers an error's status asks for: Retry-After on 429 and 503, the 401's challenge. */
function headersOf(error: GlmImageError, status: number): Record<string, string> {
  if (error.code === "unauthorized") return { "www-authenticate": 'Bearer realm="glm-image"' };
  if (status !== 429 && status !== 503) return {};
  const seconds =
    error.retryAfterMs === undefined
      ? DEFAULT_RETRY_AFTER_SECONDS
      : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return { "retry-after": String(seconds) };
}

/** Hono's own exceptions (a malformed JSON body, a body too large) in the one error family. */
function fromHttpException(error: HTTPException): GlmImageError {
  const code = error.status === 413 ? "payload_too_large" : "invalid_request";
  return new GlmImageError(code, error.message, { cause: error });
}

/**
 * The error body: OpenAI's shape (`message`, `type`, `param`, `code`) with the registry's codes,
 * and its status and type from core's registry. `headers` adds a route's own (`allow`).
 */
export function errorResponse(
  context: Context,
  thrown: unknown,
  headers: Record<string, string> = {},
): Response {
  const error = thrown instanceof HTTPException ? fromHttpException(thrown) : thrown;
  if (!isGlmImageError(error)) {
    console.error(JSON.stringify({ level: "error", message: "unhandled", error: String(error) }));
    return context.json(
      {
        error: {
          code: "internal_error",
          message: "Internal error",
          type: "api_error",
          param: null,
        },
      },
      500,
    );
  }
  const { httpStatus, type } = meaningOf(error.code);
  const status = httpStatus as ContentfulStatusCode;
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
        type,
        param: error.param ?? null,
        ...(error.upstreamCode === undefined ? {} : { upstream_code: error.upstreamCode }),
        ...(error.upstreamMessage === undefined ? {} : { upstream_message: error.upstreamMessage }),
      },
    },
    status,
    { ...headersOf(error, status), ...headers },
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
  throw new GlmImageError("invalid_request", message, field ? { param: field } : {});
}
