// The Deno entry: `deno serve --allow-net --allow-env --allow-read --allow-write packages/edge/src/deno.ts`.
// The same app as on Workers, with images as files under DATA_DIR and coordination in memory.
import process from "node:process";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { inProcessCoordinator } from "./coordination/in-process.ts";
import { log } from "./log.ts";
import { windowRateLimiter } from "./rate-limit.ts";
import { fileStore } from "./storage/files.ts";

const config = readConfig(process.env);
const store = fileStore(process.env.DATA_DIR ?? ".data/images");

const app = createApp({
  config,
  store,
  coordinator: inProcessCoordinator({ store, config, log }),
  rateLimiter: windowRateLimiter(60, 60_000),
  openCache: () => caches.open("glm-image"),
  log,
});

export default { fetch: app.fetch };
