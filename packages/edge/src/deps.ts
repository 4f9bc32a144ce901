import type { EdgeConfig } from "./config.ts";
import type { Coordinator, ImageStore, RateLimiter } from "./ports.ts";

export interface AppDeps {
  config: EdgeConfig;
  store: ImageStore;
  coordinator: Coordinator;
  rateLimiter?: RateLimiter;
  /** The Cache API store in front of image reads, where the runtime has one. */
  openCache?: () => Promise<Cache | undefined>;
  log?: (entry: Record<string, unknown>) => void;
}

export type AppEnv = { Variables: { tokenId: string } };
