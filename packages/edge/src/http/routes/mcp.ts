import { GlmImageError } from "@glm-image/core";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";

/**
 * MCP's Streamable HTTP asks servers to check `Origin` (DNS rebinding): a browser's request from
 * a page of another origin is refused unless ALLOWED_ORIGINS lets that origin in ("*" lets every
 * origin in: the bearer token, which a browser never adds by itself, is then the protection).
 * Requests without an Origin (every host that is not a browser) are not concerned.
 */
function checkOrigin(context: Context<AppEnv>, deps: AppDeps): void {
  const origin = context.req.header("origin");
  if (origin === undefined) return;
  const allowed = deps.config.ALLOWED_ORIGINS;
  const own = [context.req.url, deps.config.PUBLIC_BASE_URL ?? context.req.url].map(
    (url) => new URL(url).origin,
  );
  if (allowed.includes("*") || allowed.includes(origin) || own.includes(origin)) return;
  throw new GlmImageError(
    "forbidden",
    `Pages of ${origin} may not call /mcp: add that origin to ALLOWED_ORIGINS to let them`,
  );
}

/**
 * `POST /mcp`: the MCP server of glm-image (packages/mcp) for the bearer token's tenant, with the
 * API's budgets and ownership, where the entry provides it (`deps.serveMcp`). Stateless, so GET
 * (a server-initiated stream) and DELETE (the end of a session) are 405.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const { serveMcp } = deps;
  if (!serveMcp) return;
  app.post("/mcp", (context) => {
    checkOrigin(context, deps);
    return serveMcp(context, deps);
  });
}
