import {
  DEFAULT_BASE_URL,
  type GenerationRequest,
  generateImage,
  generateThroughEdge,
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

/**
 * The edge's OpenAI-compatible route, through core's client: its error bodies carry the
 * contract's codes; each request has one deadline (`timeoutMs`, default 120 s) over its attempts
 * and the answer's body.
 */
export function edgeSource(options: {
  edgeUrl: string;
  token: string;
  maxRetries?: number;
  timeoutMs?: number;
}): ImageSource {
  return async (request) => {
    const result = await generateThroughEdge(request, {
      edgeUrl: options.edgeUrl,
      token: options.token,
      maxRetries: options.maxRetries ?? 3,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    return { url: result.url, warnings: result.warnings };
  };
}
