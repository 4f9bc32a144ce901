import type { EdgeConfig } from "../../domain/config.ts";
import type { ImageStore } from "../../domain/ports.ts";

/** What the Worker and the Durable Object both build from the bindings. */
export interface CloudflareWiring {
  config: EdgeConfig;
  store: ImageStore;
  log: (entry: Record<string, unknown>) => void;
}

const wired = new WeakMap<Env, Promise<CloudflareWiring>>();

/**
 * The settings read once, R2 as the image store (its failures as storage_unavailable) and the logger, once per isolate and environment.
 * The modules load on first use, not at start-up: bundled, the dynamic imports stay lazy, which
 * keeps the Worker's start-up time low.
 */
export function wiringFor(env: Env): Promise<CloudflareWiring> {
  let wiring = wired.get(env);
  if (!wiring) {
    wiring = Promise.all([
      import("../../domain/config.ts"),
      import("../../domain/guarded-bucket.ts"),
      import("../../domain/image-store.ts"),
      import("../../domain/log.ts"),
      import("./r2-bucket.ts"),
    ]).then(([{ readConfig }, { guardedBucket }, { imageStore }, { logger }, { r2Bucket }]) => {
      const config = readConfig(env);
      return {
        config,
        store: imageStore(guardedBucket(r2Bucket(env.IMAGES))),
        log: logger(config.LOG_LEVEL),
      };
    });
    wired.set(env, wiring);
  }
  return wiring;
}
