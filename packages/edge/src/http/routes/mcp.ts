import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";

/**
 * `POST /mcp`: the MCP server of glm-image (packages/mcp) for the bearer token's tenant, with the
 * API's budgets and ownership, where the entry provides it (`deps.serveMcp`). Stateless, so GET
 * (a server-initiated stream) and DELETE (the end of a session) are 405.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const { serveMcp } = deps;
  if (!serveMcp) return;
  app.post("/mcp", (context) => serveMcp(context, deps));
}
