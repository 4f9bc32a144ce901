import { clientCodeOf, GlmImageError, isErrorCode, meaningOf } from "./errors.ts";
import { contentFilterSchema, type GenerationResult, resultFromAnswer } from "./generate.ts";
import { withDeadline } from "./http.ts";
import { type RetryInfo, withRetries } from "./retry.ts";
import { asGenerationRequest, type GenerationInput } from "./schemas.ts";
import { errorFromUpstream, parseRetryAfter } from "./upstream-errors.ts";

export interface EdgeOptions {
  /** The deployed glm-image edge, e.g. `https://images.example.com`. */
  edgeUrl: string;
  /** One of the edge's API_TOKENS. */
  token: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Deadline for the whole call, retries included. Default 120 s; Infinity for none. */
  timeoutMs?: number;
  maxRetries?: number;
  onRetry?: (info: RetryInfo) => void;
}

interface EdgeAnswer {
  created?: number;
  data?: Array<{ url?: string }>;
  content_filter?: unknown;
  error?: { code?: string; message?: string };
}

/**
 * Generates through a deployed edge (`POST {edge}/v1/images/generations`): the answer's URL is
 * the edge's permanent one. The edge's error bodies carry the contract's codes already. Sending
 * it again costs nothing: the edge answers a request it has paid for from its journal.
 */
export async function generateThroughEdge(
  input: GenerationInput,
  options: EdgeOptions,
): Promise<GenerationResult> {
  const [result] = await generateImagesThroughEdge(input, 1, options);
  return result as GenerationResult; // one asked for: one answered, or an error thrown
}

/**
 * `n` distinct images of one request through a deployed edge, in one call (OpenAI's `n`: the
 * edge keys each by its variant, so each is paid once and asking again pays nothing). Fewer
 * images than asked is an `upstream_error`, never a shorter list.
 */
export async function generateImagesThroughEdge(
  input: GenerationInput,
  n: number,
  options: EdgeOptions,
): Promise<GenerationResult[]> {
  const request = asGenerationRequest(input);
  const endpoint = `${options.edgeUrl.replace(/\/+$/, "")}/v1/images/generations`;
  const { signal, translate } = withDeadline(options);
  const attempt = async () => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...request, ...(n === 1 ? {} : { n }), response_format: "url" }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new GlmImageError("NETWORK_ERROR", `Cannot reach the edge at ${endpoint}`, {
        retryable: true,
        cause: error,
      });
    }
    const answer = (await response.json().catch((error: unknown) => {
      if (signal?.aborted) throw error;
      return {};
    })) as EdgeAnswer;
    if (!response.ok) {
      // The edge's body names its code; only another server's answer is read from its status.
      const answered = answer.error?.code;
      const code = isErrorCode(answered)
        ? clientCodeOf(answered)
        : errorFromUpstream(response.status, null, response.headers).code;
      throw new GlmImageError(
        code,
        answer.error?.message ?? `The edge answered HTTP ${response.status}`,
        {
          status: response.status,
          retryable: meaningOf(code).retryable,
          retryAfterMs: parseRetryAfter(response.headers),
        },
      );
    }
    const contentFilter = contentFilterSchema.safeParse(answer.content_filter ?? []);
    const urls = (answer.data ?? []).map((item) => item.url);
    if (urls.length > 0 && urls.length !== n) {
      throw new GlmImageError(
        "upstream_error",
        `The edge answered ${urls.length} images where ${n} were asked for`,
        { status: response.status },
      );
    }
    return Array.from({ length: n }, (_, index) =>
      resultFromAnswer(request, {
        created: answer.created,
        url: urls[index],
        contentFilter: contentFilter.success ? contentFilter.data : [],
      }),
    );
  };
  try {
    return await withRetries(attempt, {
      maxRetries: options.maxRetries ?? 3,
      signal,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
  } catch (error) {
    throw translate(error);
  }
}
