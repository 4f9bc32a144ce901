import type { EdgeApp } from "./app.ts";
import { durableObjectCoordinator } from "./coordination/durable-object.ts";
import { log } from "./log.ts";
import { r2Store } from "./storage/r2.ts";

export { GenerationCoordinator } from "./coordination/durable-object.ts";

const apps = new WeakMap<Env, Promise<EdgeApp>>();

/**
 * One app per isolate and environment, wired to R2, Durable Objects and the rate limiter. The app
 * (Hono, zod, the OpenAPI routes) loads on the first request, not at start-up: bundled, the
 * dynamic imports stay lazy, which keeps the Worker's start-up time low.
 */
function appFor(env: Env): Promise<EdgeApp> {
  let app = apps.get(env);
  if (!app) {
    app = Promise.all([import("./app.ts"), import("./config.ts")]).then(
      ([{ createApp }, { readConfig }]) =>
        createApp({
          config: readConfig(env as unknown as Record<string, unknown>),
          store: r2Store(env.IMAGES),
          coordinator: durableObjectCoordinator(env.GENERATIONS),
          rateLimiter: { limit: async (key) => (await env.RATE_LIMITER.limit({ key })).success },
          openCache: () => caches.open("glm-image"),
          log,
        }),
    );
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch: async (request, env, context) => (await appFor(env)).fetch(request, env, context),
} satisfies ExportedHandler<Env>;
