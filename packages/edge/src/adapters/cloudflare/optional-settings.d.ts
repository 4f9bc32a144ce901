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
    /** Seconds a /render waits for its image before a 503 TIMEOUT placeholder (default 20). */
    RENDER_WAIT_SECONDS?: string;
    /** Seconds POST /v1/images/generations waits before a 503 TIMEOUT (default 120). */
    REQUEST_WAIT_SECONDS?: string;
    /** Seconds after its submission an upstream task that never finishes is given up (1800). */
    TASK_GIVE_UP_SECONDS?: string;
  }
}
