import { LoadAPIKeyError, LoadSettingError } from "@ai-sdk/provider";
import { DEFAULT_BASE_URL } from "@glm-image/core";

export interface GlmImageProviderSettings {
  /** ZhiPu API key. Default: `ZHIPU_API_KEY`. */
  apiKey?: string;
  /**
   * ZhiPu's API base (default `ZHIPU_BASE_URL`, then `https://open.bigmodel.cn/api/paas/v4`;
   * international: `https://api.z.ai/api/paas/v4`), or with `edgeToken` the address of a glm-image
   * edge (default `GLM_IMAGE_EDGE_URL`).
   */
  baseURL?: string;
  /**
   * One of a glm-image edge's API tokens: images are generated through the edge at `baseURL`,
   * which keeps them and answers permanent URLs. Default: `GLM_IMAGE_EDGE_TOKEN`, when
   * `GLM_IMAGE_EDGE_URL` is set too and neither `apiKey` nor `baseURL` is given.
   */
  edgeToken?: string;
  /** Headers sent with every generation request (never with the image download). */
  headers?: Record<string, string>;
  /** A fetch of your own (a proxy, a test recorder); the global fetch by default. */
  fetch?: typeof fetch;
  /** Deadline for each request (the generation, then the image download). Default 120 s. */
  timeoutMs?: number;
}

export type Connection =
  | { kind: "zhipu"; apiKey: string; baseUrl: string }
  | { kind: "edge"; edgeUrl: string; token: string };

type Environment = Record<string, string | undefined>;

/** The environment where there is one (Node, Deno, Bun, Workers with nodejs_compat); else none. */
function environment(): Environment {
  const { process } = globalThis as { process?: { env?: Environment } };
  return process?.env ?? {};
}

/** Whether calls go through an edge: an `edgeToken`, or both GLM_IMAGE_EDGE_* and no ZhiPu setting. */
export function usesEdge(settings: GlmImageProviderSettings, env = environment()): boolean {
  if (settings.edgeToken !== undefined) return true;
  if (settings.apiKey !== undefined || settings.baseURL !== undefined) return false;
  return Boolean(env.GLM_IMAGE_EDGE_URL && env.GLM_IMAGE_EDGE_TOKEN);
}

/**
 * Where this call goes, read when it is made (so that the default instance sees the environment
 * of the moment, as the AI SDK's own providers do). Throws the AI SDK's LoadAPIKeyError or
 * LoadSettingError, before anything is sent, when a credential or the edge's address is missing.
 */
export function resolveConnection(
  settings: GlmImageProviderSettings,
  env = environment(),
): Connection {
  if (usesEdge(settings, env)) {
    const token = settings.edgeToken ?? env.GLM_IMAGE_EDGE_TOKEN;
    const edgeUrl = settings.baseURL ?? env.GLM_IMAGE_EDGE_URL;
    if (!token) {
      throw new LoadAPIKeyError({
        message:
          "glm-image: the edge token is empty: pass edgeToken (one of the edge's API_TOKENS)",
      });
    }
    if (!edgeUrl) {
      throw new LoadSettingError({
        message:
          "glm-image: edgeToken needs the edge's address: pass baseURL (e.g. https://images.example.com) or set GLM_IMAGE_EDGE_URL",
      });
    }
    return { kind: "edge", edgeUrl, token };
  }
  const apiKey = settings.apiKey ?? env.ZHIPU_API_KEY;
  if (!apiKey) {
    throw new LoadAPIKeyError({
      message:
        "glm-image: no ZhiPu API key: pass apiKey to createGlmImage or set ZHIPU_API_KEY (get one at https://bigmodel.cn/usercenter/proj-mgmt/apikeys), or generate through an edge with baseURL and edgeToken",
    });
  }
  return {
    kind: "zhipu",
    apiKey,
    baseUrl: settings.baseURL ?? env.ZHIPU_BASE_URL ?? DEFAULT_BASE_URL,
  };
}
