/** What a code means wherever it is answered: its HTTP status, OpenAI's error type, a retry. */
export interface ErrorMeaning {
  /** The status an HTTP face (the edge) answers with. */
  readonly httpStatus: number;
  /** OpenAI's `type` for the error body. */
  readonly type:
    | "invalid_request_error"
    | "authentication_error"
    | "permission_error"
    | "not_found_error"
    | "rate_limit_error"
    | "service_unavailable_error"
    | "api_error";
  /** Whether the same request sent again may pass. */
  readonly retryable: boolean;
  /**
   * The seed CLI's code a client of the edge reports a service code as (the edge refusing a
   * token is, to the CLI's contract, an `authentication_error`, as the upstream refusing a key).
   */
  readonly seedCode?: "authentication_error";
}

const caller = { httpStatus: 400, type: "invalid_request_error", retryable: false } as const;
const upstream = { httpStatus: 502, type: "api_error", retryable: false } as const;
const transient = { httpStatus: 502, type: "api_error", retryable: true } as const;
const refused = { httpStatus: 403, type: "permission_error", retryable: false } as const;
const unavailable = {
  httpStatus: 503,
  type: "service_unavailable_error",
  retryable: false,
} as const;

/**
 * The one registry of error codes, shared by every face (CLI JSON, the edge's error bodies, MCP
 * tool results, action logs): generation codes first (the seed CLI's), then the service's own.
 * On the edge, the caller's mistakes are 400, an Idempotency-Key reused for another request 422
 * (not 409, which OpenAI's clients retry), rate limits and the spent budget 429, a task still
 * running and storage down 503, the upstream's failures 502.
 */
export const errorRegistry = {
  MISSING_API_KEY: upstream,
  INVALID_PROMPT: caller,
  INVALID_SIZE: caller,
  INVALID_QUALITY: caller,
  INVALID_MODEL: caller,
  INVALID_USER_ID: caller,
  INVALID_PATH: upstream,
  authentication_error: upstream,
  rate_limit_exceeded: { httpStatus: 429, type: "rate_limit_error", retryable: true },
  quota_exceeded: upstream,
  content_filter_violation: caller,
  invalid_request: caller,
  upstream_error: transient,
  TIMEOUT: { ...unavailable, retryable: true },
  NETWORK_ERROR: transient,
  DOWNLOAD_FAILED: upstream,
  INTERRUPTED: upstream,
  budget_exceeded: { httpStatus: 429, type: "rate_limit_error", retryable: false },
  storage_unavailable: unavailable,
  idempotency_key_reused: { ...caller, httpStatus: 422 },
  INVALID_BASE_URL: upstream,
  unauthorized: {
    httpStatus: 401,
    type: "authentication_error",
    retryable: false,
    seedCode: "authentication_error",
  },
  invalid_signature: { ...refused, seedCode: "authentication_error" },
  forbidden: { ...refused, seedCode: "authentication_error" },
  not_found: { httpStatus: 404, type: "not_found_error", retryable: false },
  method_not_allowed: { ...caller, httpStatus: 405 },
  payload_too_large: { ...caller, httpStatus: 413 },
  image_not_stored_yet: { ...unavailable, retryable: true },
  internal_error: { httpStatus: 500, type: "api_error", retryable: false },
} as const satisfies Record<string, ErrorMeaning>;

export type ErrorCode = keyof typeof errorRegistry;

/** Every code, in the registry's order. */
export const errorCodes = Object.keys(errorRegistry) as ErrorCode[];

/** Whether a string is one of the registry's codes (an edge's error body, a journal entry). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorRegistry, value);
}

/** What a code means: its HTTP status, error type and whether it may pass on a retry. */
export function meaningOf(code: ErrorCode): ErrorMeaning {
  return errorRegistry[code];
}

/**
 * The code a client of the edge reports for the code in the edge's error body: the seed's own
 * where the registry names one, else the code as answered.
 */
export function clientCodeOf(code: ErrorCode): ErrorCode {
  return meaningOf(code).seedCode ?? code;
}

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

/**
 * The brand that recognises a GlmImageError across copies of core (a face bundles its own, a
 * library brings another): `instanceof` would fail between them, a registered symbol does not.
 */
const brand = Symbol.for("glm-image.error");

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
    Object.defineProperty(this, brand, { value: true });
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

/** Whether a value is a GlmImageError of any copy of core (by its brand, not `instanceof`). */
export function isGlmImageError(value: unknown): value is GlmImageError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/** Any thrown value as a contract error object; unknown failures become `upstream_error`. */
export function toErrorObject(error: unknown): ErrorObject {
  if (isGlmImageError(error)) return error.toJSON();
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
