import type { EdgeApp } from "./app.ts";
import { bindingRateLimiter, durableObjectCoordinator } from "./coordination/durable-object.ts";
import { IMAGE_CACHE } from "./image-cache.ts";
import { logger } from "./log.ts";

export { GenerationCoordinator } from "./coordination/durable-object.ts";

const apps = new WeakMap<Env, Promise<EdgeApp>>();

/**
 * One app per isolate and environment, wired to R2, Durable Objects and the rate limiters. The app
 * (Hono, zod, the OpenAPI routes) loads on the first request, not at start-up: bundled, the
 * dynamic imports stay lazy, which keeps the Worker's start-up time low.
 */
function appFor(env: Env): Promise<EdgeApp> {
  let app = apps.get(env);
  if (!app) {
    app = Promise.all([
      import("./app.ts"),
      import("./config.ts"),
      import("./storage/image-store.ts"),
      import("./storage/r2-bucket.ts"),
      import("./storage/guarded-bucket.ts"),
    ]).then(([{ createApp }, { readConfig }, { imageStore }, { r2Bucket }, { guardedBucket }]) => {
      const config = readConfig(env);
      return createApp({
        config,
        store: imageStore(guardedBucket(r2Bucket(env.IMAGES))),
        coordinator: durableObjectCoordinator(env.GENERATIONS),
        rateLimiter: bindingRateLimiter(env.RATE_LIMITER),
        openCache: () => caches.open(IMAGE_CACHE),
        log: logger(config.LOG_LEVEL),
      });
    });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch: async (request, env, context) => (await appFor(env)).fetch(request, env, context),
} satisfies ExportedHandler<Env>;
