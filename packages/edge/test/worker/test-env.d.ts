// The bindings vitest.config.ts adds for the tests only, beside the Worker's generated Env.
declare namespace Cloudflare {
  interface Env {
    /** The mock upstream's origin, to read its paid-generation counter. */
    MOCK_ORIGIN: string;
  }
}
