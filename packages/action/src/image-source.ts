import {
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  errorCodes,
  errorFromUpstream,
  type GenerationRequest,
  GlmImageError,
  generateImage,
  isRetryableCode,
  parseRetryAfter,
  withRetries,
} from "@glm-image/core";

export interface Generated {
  url: string;
  warnings: string[];
}

/** Where images come from: ZhiPu directly, or a deployed glm-image edge (which keeps them). */
export type ImageSource = (request: GenerationRequest) => Promise<Generated>;

export function directSource(options: {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  maxRetries?: number;
}): ImageSource {
  return async (request) => {
    const result = await generateImage(request, {
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
    return { url: result.url, warnings: result.warnings };
  };
}

interface EdgeAnswer {
  data?: Array<{ url?: string }>;
  error?: { code?: string; message?: string };
}

/**
 * The edge's OpenAI-compatible route; its error bodies carry the contract's codes already. Each
 * request has one deadline (`timeoutMs`, default 120 s) over its attempts and the answer's body.
 */
export function edgeSource(options: {
  edgeUrl: string;
  token: string;
  maxRetries?: number;
  timeoutMs?: number;
}): ImageSource {
  const endpoint = `${options.edgeUrl.replace(/\/+$/, "")}/v1/images/generations`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (request) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await withRetries(() => askEdge(endpoint, options.token, request, signal), {
        maxRetries: options.maxRetries ?? 3,
        signal,
      });
    } catch (error) {
      if (signal.aborted && !(error instanceof GlmImageError)) {
        throw new GlmImageError("TIMEOUT", `The edge did not answer within ${timeoutMs / 1000} s`, {
          cause: error,
        });
      }
      throw error;
    }
  };
}

async function askEdge(
  endpoint: string,
  token: string,
  request: GenerationRequest,
  signal: AbortSignal,
): Promise<Generated> {
  let response: Response;
  let answer: EdgeAnswer;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ...request, response_format: "url" }),
      signal,
    });
    answer = (await response.json().catch((error: unknown) => {
      if (signal.aborted) throw error;
      return {};
    })) as EdgeAnswer;
  } catch (error) {
    if (signal.aborted) throw error;
    throw new GlmImageError("NETWORK_ERROR", `Cannot reach the edge at ${endpoint}`, {
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    const known = errorCodes.find((code) => code === answer.error?.code);
    const code = known ?? errorFromUpstream(response.status, null, response.headers).code;
    throw new GlmImageError(
      code,
      answer.error?.message ?? `The edge answered HTTP ${response.status}`,
      {
        status: response.status,
        retryable: isRetryableCode(code),
        retryAfterMs: parseRetryAfter(response.headers),
      },
    );
  }
  const url = answer.data?.[0]?.url;
  if (!url) throw new GlmImageError("upstream_error", "The edge answered without an image URL");
  return { url, warnings: [] };
}
