import { GlmImageError } from "@glm-image/core";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./deps.ts";
import { errorResponse, validationHook } from "./errors.ts";
import { bearerAuth } from "./middleware/auth.ts";
import { methodNotAllowed } from "./middleware/method-not-allowed.ts";
import { registerGenerations } from "./routes/generations.ts";
import { registerImages } from "./routes/images.ts";
import { registerMcp } from "./routes/mcp.ts";
import { registerModels } from "./routes/models.ts";
import { registerRender } from "./routes/render.ts";
import { registerUsage } from "./routes/usage.ts";
import { jsonAnswer } from "./wire/schemas.ts";

export const MAX_BODY_BYTES = 64 * 1024;

const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  summary: "Health: answers while the service runs",
  responses: {
    200: jsonAnswer(
      "Running",
      z.object({ ok: z.literal(true).openapi({ description: "Always `true`" }) }),
    ),
  },
});

const html = (description: string) => ({
  200: { description, content: { "text/html": { schema: z.string() } } },
});

/** Served as static files (Workers static assets; the Deno entry's static-assets.ts), not routes. */
const staticRoutes = [
  createRoute({
    method: "get",
    path: "/",
    summary: "The home page: generate, see, copy an embed; the gallery",
    responses: html("The page"),
  }),
  createRoute({
    method: "get",
    path: "/docs",
    summary: "This document, readable, served by the service itself (works offline)",
    responses: html("The page"),
  }),
  createRoute({
    method: "get",
    path: "/openapi.json",
    summary: "The OpenAPI 3.1 document of every route",
    responses: {
      200: jsonAnswer("The document", z.object({}).passthrough()),
    },
  }),
];

/** The edge service: the same app on Workers (R2, Durable Objects) and Deno (files, memory). */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: (result) => validationHook(result) });
  const origins = deps.config.ALLOWED_ORIGINS;

  // One JSON line per API call and per failure; successful public image reads, the hot path,
  // are not logged.
  app.use(async (context, next) => {
    const started = Date.now();
    await next();
    const path = new URL(context.req.url).pathname;
    if (!path.startsWith("/v1/") && context.res.status < 400) return;
    deps.log?.({
      level: context.res.status >= 500 ? "error" : "info",
      method: context.req.method,
      path,
      status: context.res.status,
      duration_ms: Date.now() - started,
      tenant: context.get("tenant")?.name,
    });
  });
  app.use(
    cors({
      origin: origins.length === 0 || origins.includes("*") ? "*" : origins,
      allowMethods: ["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
      exposeHeaders: ["ETag", "Retry-After"],
      maxAge: 86400,
    }),
  );
  app.use(
    secureHeaders({ crossOriginResourcePolicy: "cross-origin", crossOriginOpenerPolicy: false }),
  );
  app.use(methodNotAllowed(app as never));
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new GlmImageError(
          "payload_too_large",
          `The body is larger than ${MAX_BODY_BYTES} bytes`,
        );
      },
    }),
  );
  app.use("/v1/*", bearerAuth(deps));
  if (deps.serveMcp) app.use("/mcp", bearerAuth(deps));

  registerGenerations(app, deps);
  registerImages(app, deps);
  registerRender(app, deps);
  registerModels(app);
  registerUsage(app, deps);
  registerMcp(app, deps);

  app.openapi(healthRoute, (context) => context.json({ ok: true as const }, 200));
  for (const route of staticRoutes) app.openAPIRegistry.registerPath(route);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "A token of `API_TOKENS` (a tenant) or `ADMIN_TOKENS` (an admin). Entries are `name:token`, `name:token:N` (a daily budget of N new images), `name:sha256:<hex>` (the token kept as its SHA-256; send the token itself), or a bare token (named by a short hash of it). A tenant sees, deletes and spends only its own; an admin sees and deletes every image and reads every tenant's usage.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "glm-image edge",
      version: "0.1.0",
      description:
        "Generate images with ZhiPu GLM-Image and keep them: OpenAI-compatible, stored in R2, signed render URLs. Every bearer token is a tenant with its own images, usage and daily budget (`TENANT_GENERATIONS_PER_DAY`, or its entry's own), within the service's (`MAX_GENERATIONS_PER_DAY`); the store is shared, so an image one tenant paid for costs another nothing.",
    },
  });
  app.notFound((context) => {
    const { method, path } = context.req;
    throw new GlmImageError("not_found", `No route ${method} ${path}; /docs lists the routes`);
  });
  app.onError((error, context) => errorResponse(context, error));
  return app;
}

export type EdgeApp = ReturnType<typeof createApp>;
