import { DEFAULT_BASE_URL, GlmImageError, missingApiKey } from "@glm-image/core";
import {
  directSource,
  edgeSource,
  type ImageSource,
  openJournal,
  type PaidWork,
  paidWork,
} from "@glm-image/node";
import type { Environment } from "./environment.ts";
import type { Options } from "./options.ts";

/**
 * Where images come from: a deployed edge when `--edge-url` (or GLM_IMAGE_EDGE_URL with
 * GLM_IMAGE_EDGE_TOKEN) is set, so that `image_url` is its permanent URL; otherwise ZhiPu
 * directly (glm-image through its async API, so the task id is journaled before the wait).
 * Throws MISSING_API_KEY, before anything is sent, when the credential is missing.
 */
export function imageSource(
  options: Options,
  environment: Environment,
  fetch?: typeof globalThis.fetch,
): ImageSource {
  const fetchOption = fetch ? { fetch } : {};
  const edgeUrl = options.edgeUrl ?? environment.edgeUrl;
  const edgeToken = options.edgeToken ?? environment.edgeToken;
  if (options.edgeUrl !== undefined || (edgeUrl && edgeToken)) {
    if (!edgeUrl || !edgeToken) {
      throw new GlmImageError(
        "MISSING_API_KEY",
        "--edge-url needs a token: --edge-token or GLM_IMAGE_EDGE_TOKEN (one of the edge's API_TOKENS)",
      );
    }
    return edgeSource({
      edgeUrl,
      token: edgeToken,
      timeoutMs: Number.POSITIVE_INFINITY,
      maxRetries: options.retries,
      ...fetchOption,
    });
  }
  if (!environment.apiKey) throw missingApiKey();
  return directSource({
    apiKey: environment.apiKey,
    baseUrl: options.baseUrl ?? environment.baseUrl ?? DEFAULT_BASE_URL,
    timeoutMs: Number.POSITIVE_INFINITY,
    maxRetries: options.retries,
    asyncAlways: options.async,
    ...fetchOption,
  });
}

/**
 * The paid work over the image source, journaled in the user's state folder (what a stopped
 * command paid for is resumed, not paid again); `taskWaitMs` bounds the wait for a task.
 */
export function journaledWork(
  options: Options,
  environment: Environment,
  fetch?: typeof globalThis.fetch,
  taskWaitMs?: number,
): PaidWork {
  return paidWork({
    source: imageSource(options, environment, fetch),
    journal: openJournal(environment.journalFolder),
    clearHint: (key) => `run glm-image journal clear ${key}`,
    ...(taskWaitMs === undefined ? {} : { taskWaitMs }),
    ...(fetch ? { fetch } : {}),
  });
}
