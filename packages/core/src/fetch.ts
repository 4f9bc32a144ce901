// What core asks of an HTTP client. `globalThis.fetch` is one on every runtime; so is
// `@glm-image/node`'s `httpFetch` over node:http, which spares a Node command the load of Node's
// own fetch (undici: about 20 ms at every start, measured in BENCHMARKS.md, figure 1).

/** The headers of an answer, read by name (case-insensitive); a `Headers` is one. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What core reads of an answer; a fetch `Response` is one. */
export interface HttpAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * A fetch as core calls it: a URL string, and an init with a method, a record of headers, a
 * string body (or none), a signal, and any runtime's own fields (Deno's `client`).
 */
export type Fetch = (url: string, init?: RequestInit) => Promise<HttpAnswer>;

/** An answer without headers (a task's own failure, read from a 200). */
export const noHeaders: HeaderReader = { get: () => null };
