import type { Context } from "hono";
import type { EdgeConfig } from "../domain/config.ts";
import type { Coordinator, ImageStore, RateLimiter } from "../domain/ports.ts";

export interface AppDeps {
  config: EdgeConfig;
  store: ImageStore;
  coordinator: Coordinator;
  /** Per token, on the authenticated routes. */
  rateLimiter?: RateLimiter;
  /** The caller's address: the socket's peer on Deno; CF-Connecting-IP (the default) on Workers. */
  clientAddress?: (context: Context) => string;
  /** The Cache API store in front of image reads, where the runtime has one. */
  openCache?: () => Promise<Cache | undefined>;
  log?: (entry: Record<string, unknown>) => void;
}

export type AppEnv = { Variables: { tokenId: string } };
