// Deno's fetch (hyper underneath) sends a request again by itself when the pooled connection it
// reused drops after the request left: for a paid POST, a second payment that no caller sees
// (measured against the mock: one fetch of a request met by a reset, two paid generations; Node
// and workerd send it once). A paid POST on Deno therefore goes through its own HTTP client that
// keeps no idle connection, so there is no reused connection to retry on. Elsewhere: nothing.

interface DenoHttpClient {
  close(): void;
}

interface DenoNamespace {
  createHttpClient?: (options: { poolMaxIdlePerHost?: number }) => DenoHttpClient;
}

/**
 * What a paid request adds to its fetch init (Deno's `client`), and what to do once its answer
 * is read. On other runtimes, nothing.
 */
export function unpooledClient(): { init: Record<string, unknown>; close(): void } {
  const deno = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (typeof deno?.createHttpClient !== "function") return { init: {}, close: () => {} };
  const client = deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  return { init: { client }, close: () => client.close() };
}
