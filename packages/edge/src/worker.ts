import {
  bindingRateLimiter,
  durableObjectBudget,
  durableObjectCoordinator,
} from "./adapters/cloudflare/durable-object.ts";
import { wiringFor } from "./adapters/cloudflare/wiring.ts";
import type { EdgeApp } from "./http/app.ts";
import { type HotImages, hotImages, throughHotImages } from "./http/hot-images.ts";
import { IMAGE_CACHE } from "./http/image-cache.ts";

export { GenerationCoordinator } from "./adapters/cloudflare/durable-object.ts";

const apps = new WeakMap<Env, Promise<EdgeApp>>();
const hots = new WeakMap<Env, HotImages>();

/** The images this isolate keeps in memory for an environment (its store's). */
function hotFor(env: Env): HotImages {
  let hot = hots.get(env);
  if (!hot) {
    hot = hotImages();
    hots.set(env, hot);
  }
  return hot;
}

/**
 * One app per isolate and environment, wired to R2, Durable Objects and the rate limiters. The app
 * (Hono, zod, the OpenAPI routes) loads on the first request, not at start-up.
 */
function appFor(env: Env): Promise<EdgeApp> {
  let app = apps.get(env);
  if (!app) {
    app = Promise.all([import("./http/app.ts"), wiringFor(env)]).then(([{ createApp }, wiring]) =>
      createApp({
        ...wiring,
        coordinator: durableObjectCoordinator(env.GENERATIONS),
        budget: durableObjectBudget(env.GENERATIONS),
        rateLimiter: bindingRateLimiter(env.RATE_LIMITER),
        openCache: () => caches.open(IMAGE_CACHE),
        hotImages: hotFor(env),
        // The MCP SDK loads on the first /mcp request, never for the other routes.
        serveMcp: async (context, deps) =>
          (await import("./http/mcp/serve-mcp.ts")).serveMcp(context, deps),
      }),
    );
    apps.set(env, app);
  }
  return app;
}

export default {
  // A view of a hot image is answered from memory, before the app has to load.
  fetch: (request, env, context) =>
    throughHotImages(
      hotFor(env),
      request,
      async () => (await appFor(env)).fetch(request, env, context),
      (work) => context.waitUntil(work),
    ),
} satisfies ExportedHandler<Env>;
