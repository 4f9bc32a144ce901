/** Stable error codes shared by every face (CLI JSON, edge error bodies, action logs). */
export const errorCodes = [
  "MISSING_API_KEY",
  "INVALID_PROMPT",
  "INVALID_SIZE",
  "INVALID_QUALITY",
  "INVALID_MODEL",
  "INVALID_USER_ID",
  "INVALID_PATH",
  "authentication_error",
  "rate_limit_exceeded",
  "quota_exceeded",
  "content_filter_violation",
  "invalid_request",
  "upstream_error",
  "TIMEOUT",
  "NETWORK_ERROR",
  "DOWNLOAD_FAILED",
  "INTERRUPTED",
  "budget_exceeded",
  "storage_unavailable",
  "idempotency_key_reused",
  "INVALID_BASE_URL",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The wire form of an error: what the CLI prints and the action logs. */
export interface ErrorObject {
  code: ErrorCode;
  message: string;
  status?: number;
  upstream_code?: string;
  /** The upstream's own words (often Chinese), kept beside our English `message`. */
  upstream_message?: string;
  /** The upstream's id of the request, when its answer had a readable one. */
  request_id?: string;
  /** The async task's id, when the answer to its submission had a readable one. */
  task_id?: string;
  /** Present (true) when the upstream may have accepted, and charged for, the failed call. */
  may_have_charged?: true;
}

export interface GlmImageErrorOptions {
  status?: number;
  /** The request field at fault (`prompt`, `size`, ...), when there is one. */
  param?: string;
  upstreamCode?: string;
  upstreamMessage?: string;
  retryable?: boolean;
  /** How long the upstream asked us to wait before trying again (Retry-After), in ms. */
  retryAfterMs?: number;
  /** The upstream's id of the request, when one was readable. */
  requestId?: string | undefined;
  /** The async task's id, when one was readable: poll it instead of submitting again. */
  taskId?: string | undefined;
  /**
   * The paid call reached the upstream and its answer was lost (cut short, reset, timed out,
   * without an image): the upstream may have charged for it. Such an error is never retried, and
   * a caller that journals paid work keeps its entry instead of paying again.
   */
  mayHaveCharged?: boolean;
  cause?: unknown;
}

export class GlmImageError extends Error {
  override readonly name = "GlmImageError";
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly param: string | undefined;
  readonly upstreamCode: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly taskId: string | undefined;
  readonly mayHaveCharged: boolean;

  constructor(code: ErrorCode, message: string, options: GlmImageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.param = options.param;
    this.upstreamCode = options.upstreamCode;
    this.upstreamMessage = options.upstreamMessage;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.taskId = options.taskId;
    this.mayHaveCharged = options.mayHaveCharged ?? false;
  }

  toJSON(): ErrorObject {
    return {
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.upstreamCode === undefined ? {} : { upstream_code: this.upstreamCode }),
      ...(this.upstreamMessage === undefined ? {} : { upstream_message: this.upstreamMessage }),
      ...(this.requestId === undefined ? {} : { request_id: this.requestId }),
      ...(this.taskId === undefined ? {} : { task_id: this.taskId }),
      ...(this.mayHaveCharged ? { may_have_charged: true as const } : {}),
    };
  }
}

/** The same error with some of its details replaced (a message, an id, whether it was charged). */
export function withDetails(
  error: GlmImageError,
  details: Partial<GlmImageErrorOptions> & { message?: string },
): GlmImageError {
  const { message, ...options } = details;
  return new GlmImageError(error.code, message ?? error.message, {
    status: error.status,
    param: error.param,
    upstreamCode: error.upstreamCode,
    upstreamMessage: error.upstreamMessage,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    taskId: error.taskId,
    mayHaveCharged: error.mayHaveCharged,
    cause: error.cause,
    ...options,
  });
}

export function isGlmImageError(value: unknown): value is GlmImageError {
  return value instanceof GlmImageError;
}

/** Any thrown value as a contract error object; unknown failures become `upstream_error`. */
export function toErrorObject(error: unknown): ErrorObject {
  if (error instanceof GlmImageError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: "upstream_error", message };
}

/** Removes every occurrence of the given secrets from a text. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result;
}
