import {
  DEFAULT_BASE_URL,
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
}): ImageSource {
  return async (request) => {
    const result = await generateImage(request, {
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    });
    return { url: result.url, warnings: result.warnings };
  };
}

interface EdgeAnswer {
  data?: Array<{ url?: string }>;
  error?: { code?: string; message?: string };
}

/** The edge's OpenAI-compatible route; its error bodies carry the contract's codes already. */
export function edgeSource(options: {
  edgeUrl: string;
  token: string;
  maxRetries?: number;
}): ImageSource {
  const endpoint = `${options.edgeUrl.replace(/\/+$/, "")}/v1/images/generations`;
  return (request) =>
    withRetries(
      async () => {
        let response: Response;
        try {
          response = await fetch(endpoint, {
            method: "POST",
            headers: {
              authorization: `Bearer ${options.token}`,
              "content-type": "application/json",
            },
            body: JSON.stringify({ ...request, response_format: "url" }),
          });
        } catch (error) {
          throw new GlmImageError("NETWORK_ERROR", `Cannot reach the edge at ${endpoint}`, {
            retryable: true,
            cause: error,
          });
        }
        const answer = (await response.json().catch(() => ({}))) as EdgeAnswer;
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
        if (!url)
          throw new GlmImageError("upstream_error", "The edge answered without an image URL");
        return { url, warnings: [] };
      },
      { maxRetries: options.maxRetries ?? 3 },
    );
}
