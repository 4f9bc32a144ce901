/** A fetch that adds headers to every request and keeps the headers of the last answer. */
export interface RecordingFetch {
  fetch: typeof fetch;
  /** The headers of the last answer, as the AI SDK reports them (`response.headers`). */
  lastHeaders(): Record<string, string> | undefined;
}

/**
 * Wraps the caller's fetch for the generation call: the provider's and the call's headers go
 * with it (core's own, such as authorization and content-type, win a clash), and the answer's
 * headers are kept for the result.
 */
export function recordingFetch(
  base: typeof fetch = globalThis.fetch,
  extraHeaders: Record<string, string | undefined> = {},
): RecordingFetch {
  let last: Record<string, string> | undefined;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(extraHeaders)) {
      if (value !== undefined) headers.set(name, value);
    }
    new Headers(init?.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    const response = await base(input, { ...init, headers });
    last = Object.fromEntries(response.headers.entries());
    return response;
  };
  return { fetch: wrapped as typeof fetch, lastHeaders: () => last };
}
