// The Deno entry: `deno serve --allow-net --allow-env --allow-read --allow-write packages/edge/src/deno.ts`.
// The same app as on Workers, with images as files under DATA_DIR and coordination in memory.
import process from "node:process";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { inProcessCoordinator } from "./coordination/in-process.ts";
import { bucketBudget, bucketClaims, bucketJournal } from "./coordination/journals.ts";
import { log } from "./log.ts";
import { windowRateLimiter } from "./rate-limit.ts";
import { filesBucket } from "./storage/files-bucket.ts";
import { imageStore } from "./storage/image-store.ts";

const config = readConfig(process.env);
const bucket = filesBucket(process.env.DATA_DIR ?? ".data/images");
const store = imageStore(bucket);

const app = createApp({
  config,
  store,
  coordinator: inProcessCoordinator(
    {
      store,
      journal: bucketJournal(bucket),
      budget: bucketBudget(bucket),
      clientLimiter: windowRateLimiter(10, 60_000),
      config,
      log,
    },
    bucketClaims(bucket),
  ),
  rateLimiter: windowRateLimiter(60, 60_000),
  clientAddress: (context) => {
    const info = context.env as { remoteAddr?: { hostname?: string } } | undefined;
    return info?.remoteAddr?.hostname ?? "unknown";
  },
  openCache: () => caches.open("glm-image"),
  log,
});

export default { fetch: app.fetch };
