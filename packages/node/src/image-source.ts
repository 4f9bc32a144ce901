import {
  type AsyncResult,
  type ClientOptions,
  type Fetch,
  fetchImageTask,
  type GenerationRequest,
  type GenerationResult,
  generateImage,
  generateThroughEdge,
  type RetryInfo,
  submitImageTask,
} from "@glm-image/core";
import { httpFetch } from "./http-fetch.ts";

/** The models whose async API the upstream documents: their task id is journaled at once. */
export const ASYNC_MODELS: ReadonlySet<string> = new Set(["glm-image"]);

/** What one call may carry: the face's signal (deadline, interruption) and a retry hook. */
export interface SourceCall {
  signal?: AbortSignal | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

/** What starting paid work answers: a task to poll (async API), or the image itself. */
export type Started = { taskId: string } | { result: GenerationResult };

/**
 * Where images come from, for the CLI and the action alike: ZhiPu directly (the async API for
 * the models that document it, so the task id is known before the wait), or a deployed edge.
 */
export interface ImageSource {
  /** `edge`: the edge journals its own paid work and answers a stored image for the same request. */
  readonly kind: "direct" | "edge";
  /** The paid call: a generation POST, or an async submit. */
  start(request: GenerationRequest, call?: SourceCall): Promise<Started>;
  /** One read of a task's state (free); only a direct source has tasks. */
  poll(taskId: string, call?: SourceCall): Promise<AsyncResult>;
}

export interface DirectSettings {
  apiKey: string;
  baseUrl: string;
  /** Retries of the paid call where core's rules allow them; 0 where the caller retries itself. */
  maxRetries: number;
  /** Retries of a task's poll, which is free (default `maxRetries`). */
  pollRetries?: number;
  /** Deadline of each call; Infinity where the caller's signal bounds the whole command. */
  timeoutMs?: number;
  /** The async API for every model, not only those that document it (the CLI's --async). */
  asyncAlways?: boolean;
  /** Default `httpFetch` (node:http): a command does not load Node's fetch. */
  fetch?: Fetch | undefined;
}

export interface EdgeSettings {
  edgeUrl: string;
  token: string;
  maxRetries: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const callOptions = (call: SourceCall | undefined) => ({
  ...(call?.signal ? { signal: call.signal } : {}),
  ...(call?.onRetry ? { onRetry: call.onRetry } : {}),
});

/** ZhiPu directly. */
export function directSource(settings: DirectSettings): ImageSource {
  const client: ClientOptions = {
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    maxRetries: settings.maxRetries,
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    fetch: settings.fetch ?? httpFetch,
  };
  return {
    kind: "direct",
    async start(request, call) {
      const options = { ...client, ...callOptions(call) };
      if (settings.asyncAlways || ASYNC_MODELS.has(request.model)) {
        return { taskId: (await submitImageTask(request, options)).id };
      }
      return { result: await generateImage(request, options) };
    },
    poll: (taskId, call) =>
      fetchImageTask(taskId, {
        ...client,
        maxRetries: settings.pollRetries ?? settings.maxRetries,
        ...callOptions(call),
      }),
  };
}

/** A deployed glm-image edge (`POST /v1/images/generations`): its URLs are permanent. */
export function edgeSource(settings: EdgeSettings): ImageSource {
  return {
    kind: "edge",
    async start(request, call) {
      const result = await generateThroughEdge(request, {
        edgeUrl: settings.edgeUrl,
        token: settings.token,
        maxRetries: settings.maxRetries,
        ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        ...callOptions(call),
      });
      return { result };
    },
    poll() {
      return Promise.reject(new Error("the edge has no tasks to poll"));
    },
  };
}
