// The Deno entry: `deno task serve` (see deno.json), or on Deno Deploy with this file as the entry.
// The same app as on Workers, configured by what is set:
// - storage: with S3_* set, the S3 API (the Worker's R2 bucket, or any S3-compatible store), in
//   the Worker's object layout; otherwise files under DATA_DIR (local use only);
// - coordination: with Deno KV (`--unstable-kv`, or Deno Deploy), single flight, journal,
//   idempotency keys, rate limits, the daily budgets and the tenants' usage in KV (KV_PATH, or the
//   platform's KV); otherwise single flight in this process's memory, with the journal, budgets,
//   usage and idempotency bindings as objects in the bucket (local use only: one process).
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import process from "node:process";
import { bucketBudget, bucketClaims, bucketJournal } from "./adapters/deno/bucket-coordination.ts";
import { clientAddressOf } from "./adapters/deno/client-address.ts";
import { filesBucket } from "./adapters/deno/files-bucket.ts";
import { guardedKv } from "./adapters/deno/guarded-kv.ts";
import { inProcessCoordinator } from "./adapters/deno/in-process-coordinator.ts";
import { kvCoordinator } from "./adapters/deno/kv-coordinator.ts";
import { kvBudget, kvRateLimiter } from "./adapters/deno/kv-counters.ts";
import { retryWhileBusy, whileBusy } from "./adapters/deno/kv-retry.ts";
import type { Kv } from "./adapters/deno/kv-types.ts";
import { s3Bucket } from "./adapters/deno/s3-bucket.ts";
import { readS3Config } from "./adapters/deno/s3-config.ts";
import { withStaticAssets } from "./adapters/deno/static-assets.ts";
import { windowRateLimiter } from "./adapters/deno/window-rate-limiter.ts";
import { readConfig } from "./domain/config.ts";
import { guardedBucket } from "./domain/guarded-bucket.ts";
import { imageStore } from "./domain/image-store.ts";
import { logger } from "./domain/log.ts";
import type { ObjectBucket } from "./domain/ports.ts";
import { createApp } from "./http/app.ts";
import { hotImages, throughHotImages } from "./http/hot-images.ts";
import { IMAGE_CACHE } from "./http/image-cache.ts";
import { serveMcp } from "./http/mcp/serve-mcp.ts";

/** Requests per token on the /v1 routes, and new /render work per client address, a minute. */
const TOKEN_LIMIT = 60;
const RENDER_LIMIT = 10;
const MINUTE = 60_000;

// The tenants' digests are computed here, once per process.
const config = await readConfig(process.env);
const log = logger(config.LOG_LEVEL);
const s3 = readS3Config(process.env);
const dataDirectory = process.env.DATA_DIR || ".data/images";
const clientAddress = clientAddressOf(process.env.CLIENT_IP_HEADER);
// Storage and KV that fail are storage_unavailable: 503 with Retry-After on every route.
const bucket: ObjectBucket = guardedBucket(
  s3
    ? s3Bucket({
        endpoint: s3.S3_ENDPOINT,
        bucket: s3.S3_BUCKET,
        accessKeyId: s3.S3_ACCESS_KEY_ID,
        secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
        region: s3.S3_REGION,
      })
    : filesBucket(dataDirectory),
);
const store = imageStore(bucket);

// Deno.openKv exists with --unstable-kv (and on Deno Deploy); KV_PATH names a local file.
const deno = (globalThis as { Deno?: { openKv?: (path?: string) => Promise<Kv> } }).Deno;
const kvPath = process.env.KV_PATH || undefined;
if (deno?.openKv && kvPath) await mkdir(dirname(kvPath), { recursive: true });
const openKv = deno?.openKv?.bind(deno);
const kv = openKv ? guardedKv(retryWhileBusy(await whileBusy(() => openKv(kvPath)))) : undefined;

const budget = kv ? kvBudget(kv) : bucketBudget(bucket);
const generation = { store, config, log, budget };
const coordinator = kv
  ? kvCoordinator(kv, {
      ...generation,
      clientLimiter: kvRateLimiter(kv, "render", RENDER_LIMIT, MINUTE),
    })
  : inProcessCoordinator(
      {
        ...generation,
        journal: bucketJournal(bucket),
        clientLimiter: windowRateLimiter(RENDER_LIMIT, MINUTE),
      },
      bucketClaims(bucket),
    );

// The start-up line says what the entry uses, whatever LOG_LEVEL says.
logger()({
  level: "info",
  message: "glm-image edge on Deno",
  storage: s3
    ? { kind: "s3", endpoint: new URL(s3.S3_ENDPOINT).origin, bucket: s3.S3_BUCKET }
    : { kind: "files", directory: dataDirectory },
  coordination: kv ? { kind: "deno-kv", path: kvPath ?? "default" } : { kind: "in-process" },
});

const hot = hotImages();
const app = createApp({
  config,
  store,
  coordinator,
  budget,
  rateLimiter: kv
    ? kvRateLimiter(kv, "token", TOKEN_LIMIT, MINUTE)
    : windowRateLimiter(TOKEN_LIMIT, MINUTE),
  serveMcp,
  clientAddress,
  openCache: () => caches.open(IMAGE_CACHE),
  hotImages: hot,
  log,
});

const serve = withStaticAssets(new URL("../public/", import.meta.url), app.fetch);
// A view of a hot image is answered from memory; `deno serve` keeps running what is deferred.
export default {
  fetch: (...args: Parameters<typeof serve>) =>
    throughHotImages(
      hot,
      args[0],
      async () => serve(...args),
      () => {},
    ),
};
