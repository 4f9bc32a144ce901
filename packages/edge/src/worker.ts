import { createApp, type EdgeApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { durableObjectCoordinator } from "./coordination/durable-object.ts";
import { log } from "./log.ts";
import { r2Store } from "./storage/r2.ts";

export { GenerationCoordinator } from "./coordination/durable-object.ts";

const apps = new WeakMap<Env, EdgeApp>();

/** One app per isolate and environment, wired to R2, Durable Objects and the rate limiter. */
function appFor(env: Env): EdgeApp {
  let app = apps.get(env);
  if (!app) {
    app = createApp({
      config: readConfig(env as unknown as Record<string, unknown>),
      store: r2Store(env.IMAGES),
      coordinator: durableObjectCoordinator(env.GENERATIONS),
      rateLimiter: { limit: async (key) => (await env.RATE_LIMITER.limit({ key })).success },
      openCache: () => caches.open("glm-image"),
      log,
    });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch: (request, env, context) => appFor(env).fetch(request, env, context),
} satisfies ExportedHandler<Env>;
