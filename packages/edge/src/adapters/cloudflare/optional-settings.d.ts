// The Worker's optional settings, beside the Env that `wrangler types` generates from wrangler.toml
// (bindings, [vars] and the required secrets). wrangler has no notion of an optional secret or
// var, so these are declared here, optional as they are: config.ts validates them all with zod.
declare namespace Cloudflare {
  interface Env {
    /** HMAC key of /render URLs (a secret); without it /render is off. */
    SIGNING_SECRET?: string;
    /** The upstream's base URL; ZhiPu's mainland endpoint by default. */
    ZHIPU_BASE_URL?: string;
    /** Origin for absolute URLs behind a custom domain. */
    PUBLIC_BASE_URL?: string;
    /** The least severe log entries written: info (default), warn or error. */
    LOG_LEVEL?: string;
    /** Daily cap of new (paid) images for the whole service; unset: no cap. */
    MAX_GENERATIONS_PER_DAY?: string;
    /** Daily cap of new (paid) images of each tenant without its own (`name:token:N`). */
    TENANT_GENERATIONS_PER_DAY?: string;
  }
}
