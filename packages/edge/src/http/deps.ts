import type { Context } from "hono";
import type { EdgeConfig } from "../domain/config.ts";
import type { Coordinator, ImageStore, RateLimiter, SpendBudget } from "../domain/ports.ts";
import type { Tenant } from "../domain/tenants.ts";
import type { HotImages } from "./hot-images.ts";

export interface AppDeps {
  config: EdgeConfig;
  store: ImageStore;
  coordinator: Coordinator;
  /** The daily budgets and the tenants' usage (GET /v1/usage, cached hits). */
  budget?: SpendBudget;
  /** Per tenant, on the authenticated routes. */
  rateLimiter?: RateLimiter;
  /** The caller's address: the socket's peer on Deno; CF-Connecting-IP (the default) on Workers. */
  clientAddress?: (context: Context) => string;
  /**
   * The MCP endpoint (`POST /mcp`, http/mcp/serve-mcp.ts), where the entry serves it: the Deno
   * entry does; the Worker does not yet (the SDK would take its bundle past its budget).
   */
  serveMcp?: (context: Context<AppEnv>, deps: AppDeps) => Promise<Response>;
  /** The Cache API store in front of image reads, where the runtime has one. */
  openCache?: () => Promise<Cache | undefined>;
  /** The answers kept in memory in front of the app (hot-images.ts): a delete forgets them. */
  hotImages?: Pick<HotImages, "forget">;
  log?: (entry: Record<string, unknown>) => void;
}

/** `tenant`: the caller on the /v1 routes, set by the bearer auth. */
export type AppEnv = { Variables: { tenant: Tenant } };
