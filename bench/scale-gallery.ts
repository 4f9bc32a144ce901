// Scale figures 8a and 8b: the gallery (GET /v1/images, limit 24 as the home page asks, the first
// page and the last one through a deep cursor) with 100, 1,000 and 10,000 stored images, on
// Workers (wrangler dev, local R2) and on Deno (S3 on s3rver, Deno KV). The stores are seeded
// through the edge's own image layout (image-store.ts over r2-bucket.ts in bench/seed-worker, over
// s3-bucket.ts here), each size a copy of the smaller one plus the images it lacks, and kept under
// node_modules/.cache/glm-image-bench (keyed by the layout's sources and the simulators' versions)
// so that later runs do not seed again. Called from run.ts (`npm run bench -- gallery`).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { s3Bucket } from "@glm-image/edge/s3-bucket";
import {
  freePort,
  root,
  type S3Server,
  startDenoEdge,
  startS3Server,
  startService,
  startWranglerDev,
} from "@glm-image/testkit";
import { type BenchContext, median, round } from "./measure.ts";
import { cursorAfter, pageCalls, seedImages } from "./seed-worker/gallery-image.ts";

export const GALLERY_SIZES = [100, 1000, 10_000];
/** The home page's gallery asks for 24 a page. */
const LIMIT = 24;
/** Sequential GETs per measurement, after WARM_UP that are not counted. */
const GETS = 10;
const WARM_UP = 3;
const TOKENS = Array.from({ length: 10 }, (_, index) => `bench-gallery-${index}`);
/**
 * The gallery's readers are admins: the seeded images belong to the admins (as images stored
 * before tenants do), and an admin's list is the whole gallery.
 */
const READERS = {
  API_TOKENS: "bench-gallery-tenant",
  ADMIN_TOKENS: TOKENS.map((token, index) => `reader${index}:${token}`).join(","),
};

type Kind = "r2" | "s3";

/** The seeded stores' cache folder: a new one whenever the layout or a simulator changes. */
async function cacheFolder(kind: Kind): Promise<string> {
  const hash = createHash("sha256");
  for (const file of [
    "packages/edge/src/domain/image-store.ts",
    "packages/edge/src/adapters/cloudflare/r2-bucket.ts",
    "packages/edge/src/adapters/deno/s3-bucket.ts",
    "bench/seed-worker/gallery-image.ts",
  ]) {
    hash.update(await readFile(join(root, file)));
  }
  for (const manifest of [
    "node_modules/wrangler/package.json",
    "node_modules/wrangler/node_modules/miniflare/package.json",
    "node_modules/miniflare/package.json",
    "node_modules/s3rver/package.json",
  ]) {
    if (existsSync(join(root, manifest))) {
      hash.update(JSON.parse(await readFile(join(root, manifest), "utf8")).version);
    }
  }
  return join(
    root,
    "node_modules/.cache/glm-image-bench",
    `${kind}-${hash.digest("hex").slice(0, 16)}`,
  );
}

interface Seeded {
  folder: string;
  size: number;
  /** R2's cursor after all but the last page (stateless in local R2; S3's is read at each run). */
  cursor?: string;
}

/** bench/seed-worker under wrangler dev, on the R2 store persisted in `folder`. */
async function startSeeder(folder: string) {
  const port = await freePort();
  return startService(
    "wrangler",
    [
      "dev",
      "--config",
      "bench/seed-worker/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      "0",
      "--persist-to",
      folder,
      "--show-interactive-dev-session=false",
    ],
    {},
    port,
    "/",
  );
}

/** The R2 store of each size, seeded through bench/seed-worker under wrangler dev. */
async function seedR2(size: number, from: Seeded | undefined, folder: string): Promise<Seeded> {
  if (from) await cp(from.folder, folder, { recursive: true });
  const seeder = await startSeeder(folder);
  try {
    for (let index = from?.size ?? 0; index < size; index += 500) {
      const count = Math.min(500, size - index);
      const response = await fetch(`${seeder.origin}/seed?from=${index}&count=${count}`, {
        method: "POST",
      });
      if (!response.ok) throw new Error(`seeding R2: ${response.status} ${await response.text()}`);
    }
    const answer = await fetch(`${seeder.origin}/cursor?skip=${size - LIMIT}`);
    if (!answer.ok) throw new Error(`seeding R2: ${answer.status} ${await answer.text()}`);
    return { folder, size, cursor: ((await answer.json()) as { cursor: string }).cursor };
  } finally {
    await seeder.stop();
  }
}

const s3Store = (s3: S3Server) =>
  s3Bucket({
    endpoint: s3.settings.S3_ENDPOINT,
    bucket: s3.settings.S3_BUCKET,
    accessKeyId: s3.settings.S3_ACCESS_KEY_ID,
    secretAccessKey: s3.settings.S3_SECRET_ACCESS_KEY,
    region: s3.settings.S3_REGION,
  });

/** The S3 store of each size, seeded through the edge's layout over the S3 API (s3rver). */
async function seedS3(size: number, from: Seeded | undefined, folder: string): Promise<Seeded> {
  if (from) await cp(from.folder, folder, { recursive: true });
  const s3 = await startS3Server(folder);
  try {
    await seedImages(s3Store(s3), from?.size ?? 0, size);
    return { folder, size };
  } finally {
    await s3.stop();
  }
}

/** Every size's store, seeded once and kept in the cache. */
async function seededStores(kind: Kind): Promise<Map<number, Seeded>> {
  const cache = await cacheFolder(kind);
  await mkdir(cache, { recursive: true });
  // Stores seeded by an older layout or simulator go.
  for (const entry of await readdir(dirname(cache))) {
    if (entry.startsWith(`${kind}-`) && entry !== basename(cache)) {
      await rm(join(dirname(cache), entry), { recursive: true, force: true });
    }
  }
  const stores = new Map<number, Seeded>();
  let previous: Seeded | undefined;
  for (const size of GALLERY_SIZES) {
    const folder = join(cache, String(size));
    const marker = join(cache, `${size}.json`);
    if (existsSync(marker)) {
      previous = {
        folder,
        size,
        ...(JSON.parse(await readFile(marker, "utf8")) as { cursor?: string }),
      };
    } else {
      await rm(folder, { recursive: true, force: true });
      const started = performance.now();
      previous = await (kind === "r2" ? seedR2 : seedS3)(size, previous, folder);
      console.log(
        `gallery: seeded ${size} images in ${kind === "r2" ? "local R2" : "s3rver"} in ${round((performance.now() - started) / 1000)} s`,
      );
      await writeFile(marker, JSON.stringify(previous.cursor ? { cursor: previous.cursor } : {}));
    }
    stores.set(size, previous);
  }
  return stores;
}

interface Page {
  data: unknown[];
  next_cursor: string | null;
}

/** Median latency (ms) of GETs of one gallery page; whether every answer was the page expected. */
async function pageLatency(
  origin: string,
  cursor: string | undefined,
  expectNext: boolean,
  tokenOffset: number,
): Promise<{ ms: number; valid: boolean }> {
  const query = new URLSearchParams({ limit: String(LIMIT), ...(cursor ? { cursor } : {}) });
  const times: number[] = [];
  let valid = true;
  for (let index = 0; index < GETS + WARM_UP; index++) {
    const started = performance.now();
    const response = await fetch(`${origin}/v1/images?${query}`, {
      headers: { authorization: `Bearer ${TOKENS[(tokenOffset + index) % TOKENS.length]}` },
    });
    const page = (await response.json()) as Page;
    const elapsed = performance.now() - started;
    if (index >= WARM_UP) times.push(elapsed);
    const ok =
      response.status === 200 &&
      page.data?.length === LIMIT &&
      (page.next_cursor !== null) === expectNext;
    if (!ok && valid)
      console.error(`gallery page: ${response.status} ${JSON.stringify(page).slice(0, 300)}`);
    valid &&= ok;
  }
  return { ms: median(times), valid };
}

/** The median time of a page's own store calls (pageCalls' times after the warm-up). */
const callsMedian = (times: number[]) => median(times.slice(WARM_UP));

export async function galleryFigures({ mock, work, run, point }: BenchContext): Promise<void> {
  const r2 = await seededStores("r2");
  const s3Stores = await seededStores("s3");
  const sizeLabel = "stored images";
  const unit = "ms";

  for (const size of GALLERY_SIZES) {
    const seeded = r2.get(size) as Seeded;
    const state = join(work, `gallery-r2-${size}-${run}`);
    await cp(seeded.folder, state, { recursive: true });
    const edge = await startWranglerDev(await freePort(), state, mock.baseUrl, {
      ...READERS,
      LOG_LEVEL: "warn",
    });
    try {
      const common = {
        id: "gallery-workers",
        figure: "8a. Gallery on Workers (wrangler dev, local R2): GET /v1/images?limit=24",
        size,
        sizeLabel,
        unit,
      };
      const first = await pageLatency(edge.origin, undefined, true, 0);
      point({ ...common, series: "first page", value: round(first.ms), valid: first.valid });
      const deep = await pageLatency(edge.origin, seeded.cursor, false, 5);
      point({
        ...common,
        series: "last page (deep cursor)",
        value: round(deep.ms),
        valid: deep.valid,
      });
      await edge.stop();
      // The reference: the same R2 calls, timed inside a Worker on the same store.
      const seeder = await startSeeder(state);
      try {
        for (const [series, cursor] of [
          ["its R2 calls alone, first page", ""],
          ["its R2 calls alone, last page", seeded.cursor ?? ""],
        ] as const) {
          const query = new URLSearchParams({
            ...(cursor ? { cursor } : {}),
            limit: String(LIMIT),
            times: String(GETS + WARM_UP),
          });
          const times = (await (await fetch(`${seeder.origin}/calls?${query}`)).json()) as number[];
          point({
            ...common,
            series,
            reference: true,
            value: round(callsMedian(times)),
            note: "reference: the page's R2 calls (a list, then 24 metadata GETs) timed inside a Worker on the same store, no app",
          });
        }
      } finally {
        await seeder.stop();
      }
    } finally {
      await edge.stop();
      await rm(state, { recursive: true, force: true });
    }
  }

  for (const size of GALLERY_SIZES) {
    // s3rver only reads its folder to answer GETs and lists: the cached store serves as it is
    // (a copy of 10,000 images, 90,000 files, would take half a minute).
    const s3 = await startS3Server((s3Stores.get(size) as Seeded).folder);
    const edge = await startDenoEdge(mock.baseUrl, join(work, "gallery-data"), {
      ...s3.settings,
      KV_PATH: join(work, `gallery-kv-${size}-${run}.sqlite3`),
      ...READERS,
      LOG_LEVEL: "warn",
    });
    try {
      const cursor = await cursorAfter(s3Store(s3), size - LIMIT);
      const common = {
        id: "gallery-deno",
        figure: "8b. Gallery on Deno (S3 on s3rver, Deno KV): GET /v1/images?limit=24",
        size,
        sizeLabel,
        unit,
      };
      const first = await pageLatency(edge.origin, undefined, true, 0);
      point({ ...common, series: "first page", value: round(first.ms), valid: first.valid });
      const deep = await pageLatency(edge.origin, cursor, false, 5);
      point({
        ...common,
        series: "last page (deep cursor)",
        value: round(deep.ms),
        valid: deep.valid,
      });
      point({
        ...common,
        series: "its S3 calls alone, first page",
        reference: true,
        value: round(callsMedian(await pageCalls(s3Store(s3), undefined, LIMIT, GETS + WARM_UP))),
        note: "reference: the page's S3 calls (a list, then 24 metadata GETs) made from the bench, no edge",
      });
      point({
        ...common,
        series: "its S3 calls alone, last page",
        reference: true,
        value: round(callsMedian(await pageCalls(s3Store(s3), cursor, LIMIT, GETS + WARM_UP))),
      });
    } finally {
      await edge.stop();
      await s3.stop();
    }
  }
}
