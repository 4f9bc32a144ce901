import type { Context } from "hono";
import type { AppDeps } from "./deps.ts";
import { afterResponse, etagOf, IMMUTABLE, imageTypes, imageUrl } from "./image-response.ts";

/**
 * The Cache API store of image answers. Its name changes when what a key means changes: entries
 * kept under an older meaning (one per query string, one per render URL, which a delete could not
 * reach) are never read again.
 */
export const IMAGE_CACHE = "glm-image-v2";

/**
 * An image's one cache key: its canonical URL (`/images/<key>.<ext>` on PUBLIC_BASE_URL or the
 * request's origin), whatever the route, query string or signature that asked for it. A delete
 * purges that one entry, and nothing else can serve the image's bytes.
 */
const cacheKey = (context: Context, deps: AppDeps, key: string, contentType: string) =>
  new Request(imageUrl(context, deps, key, contentType));

/** How long after a delete its cache entry is purged once more. */
const LATE_PURGE_MS = 5_000;

/**
 * Removes an image's cached answers (DELETE): its Cache API entry and what this isolate keeps in
 * memory. A view that read the image just before the delete may still be putting its answer into
 * either (in the background): a second purge, a few seconds later, removes what such a put left.
 */
export async function purgeImage(
  context: Context,
  deps: AppDeps,
  key: string,
  contentType: string,
): Promise<void> {
  const purge = async () => {
    deps.hotImages?.forget(etagOf(key));
    const cache = await deps.openCache?.().catch(() => undefined);
    await cache?.delete(cacheKey(context, deps, key, contentType)).catch(() => false);
  };
  await purge();
  afterResponse(context, new Promise((resolve) => setTimeout(resolve, LATE_PURGE_MS)).then(purge));
}

/**
 * Serves an image from the Cache API when it holds it, under the image's one key; otherwise
 * answers and keeps a stored image's answer there. `contentType` is the type the URL names
 * (`/images/<key>.png`); a render URL names none, so each type's key is looked up.
 */
export async function throughImageCache(
  context: Context,
  deps: AppDeps,
  key: string,
  contentType: string | undefined,
  answer: () => Promise<Response>,
): Promise<Response> {
  const cache =
    context.req.method === "GET" ? await deps.openCache?.().catch(() => undefined) : undefined;
  if (cache) {
    for (const type of contentType ? [contentType] : imageTypes) {
      const cached = await cache.match(cacheKey(context, deps, key, type));
      if (cached) return cached;
    }
  }
  const response = await answer();
  const type = response.headers.get("content-type");
  if (
    cache &&
    type &&
    imageTypes.includes(type) &&
    response.status === 200 &&
    response.headers.get("cache-control") === IMMUTABLE
  ) {
    afterResponse(context, cache.put(cacheKey(context, deps, key, type), response.clone()));
  }
  return response;
}
