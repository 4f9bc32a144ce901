import {
  DEFAULT_BASE_URL,
  type GenerationRequest,
  type GenerationResult,
  GlmImageError,
  generateImage,
  generateImageAsync,
  generateThroughEdge,
  type RetryInfo,
} from "@glm-image/core";
import type { Options } from "./options.ts";

export type ImageSource = (
  request: GenerationRequest,
  call: { signal: AbortSignal; onRetry: (info: RetryInfo) => void },
) => Promise<GenerationResult>;

export interface SourceDeps {
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/**
 * Where images come from: a deployed edge when `--edge-url` (or GLM_IMAGE_EDGE_URL with
 * GLM_IMAGE_EDGE_TOKEN) is set, so that `image_url` is its permanent URL; otherwise ZhiPu
 * directly. Throws MISSING_API_KEY, before anything is sent, when the credential is missing.
 */
export function imageSource(options: Options, deps: SourceDeps): ImageSource {
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  const edgeUrl = options.edgeUrl ?? deps.env.GLM_IMAGE_EDGE_URL;
  const edgeToken = options.edgeToken ?? deps.env.GLM_IMAGE_EDGE_TOKEN;
  if (options.edgeUrl !== undefined || (edgeUrl && edgeToken)) {
    if (!edgeUrl || !edgeToken) {
      throw new GlmImageError(
        "MISSING_API_KEY",
        "--edge-url needs a token: --edge-token or GLM_IMAGE_EDGE_TOKEN (one of the edge's API_TOKENS)",
      );
    }
    return (request, call) =>
      generateThroughEdge(request, {
        edgeUrl,
        token: edgeToken,
        timeoutMs: Number.POSITIVE_INFINITY,
        maxRetries: options.retries,
        ...call,
        ...fetchOption,
      });
  }
  const apiKey = deps.env.ZHIPU_API_KEY;
  if (!apiKey) {
    throw new GlmImageError(
      "MISSING_API_KEY",
      "ZHIPU_API_KEY not configured. Get your API key at: https://bigmodel.cn/usercenter/proj-mgmt/apikeys",
    );
  }
  const client = {
    apiKey,
    baseUrl: options.baseUrl ?? deps.env.ZHIPU_BASE_URL ?? DEFAULT_BASE_URL,
    timeoutMs: Number.POSITIVE_INFINITY,
    maxRetries: options.retries,
    ...fetchOption,
  };
  return (request, call) =>
    options.async
      ? generateImageAsync(request, { ...client, ...call })
      : generateImage(request, { ...client, ...call });
}
