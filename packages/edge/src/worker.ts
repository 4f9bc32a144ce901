import {
  bindingRateLimiter,
  durableObjectBudget,
  durableObjectCoordinator,
} from "./adapters/cloudflare/durable-object.ts";
import { wiringFor } from "./adapters/cloudflare/wiring.ts";
import type { EdgeApp } from "./http/app.ts";
import { IMAGE_CACHE } from "./http/image-cache.ts";

export { GenerationCoordinator } from "./adapters/cloudflare/durable-object.ts";

const apps = new WeakMap<Env, Promise<EdgeApp>>();

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
  fetch: async (request, env, context) => (await appFor(env)).fetch(request, env, context),
} satisfies ExportedHandler<Env>;
