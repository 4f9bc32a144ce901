// Hot images: the answers of stored images kept in the isolate's (or the process's) memory, in
// front of the app. A README embed is viewed again and again: a view answered from here costs no
// store read, no Cache API match and no pass through the app (routing, middleware, the param
// check), so a hit runs at the speed of a constant body (BENCHMARKS.md, figures 4a, 4b and 4d).
// No Hono here: the Worker's entry answers from it before the app has loaded.

/** At most this much image data is kept, per isolate or process. */
export const HOT_BYTES = 16 * 1024 * 1024;
/** A larger answer is not kept (it would push out many small ones). */
export const HOT_ENTRY_BYTES = 2 * 1024 * 1024;
/**
 * An answer is kept this long, then read again through the app. A delete forgets the image at
 * once in the isolate that served it; in another isolate, this bounds how long it is still shown.
 */
export const HOT_TTL_MS = 60_000;

/** The public routes whose 200 answers are a stored image's: `/images/<key>.<ext>`, `/render`. */
const hotPath = /^\/(?:images\/[0-9a-f]{64}\.(?:png|jpg|webp)|render)$/;
/** What the answer depends on beyond the URL: such a request always goes through the app. */
const personal = ["origin", "if-none-match", "if-modified-since", "range", "authorization"];

interface Kept {
  bytes: ArrayBuffer;
  headers: Array<[string, string]>;
  etag: string | null;
  until: number;
}

export interface HotImages {
  /** The kept answer to this request, or undefined (then the app answers it). */
  answer(request: Request): Response | undefined;
  /**
   * Keeps the app's answer to this request when it is a stored image's (200, immutable, an image,
   * its length known and small enough); the bytes are read from a clone, after the answer is sent.
   */
  keep(request: Request, response: Response, defer: (work: Promise<unknown>) => void): void;
  /** Forgets every kept answer of the image (its ETag is its key): a delete. */
  forget(etag: string): void;
}

/** The URL of a request that may be answered from memory, or undefined. */
function hotUrl(request: Request): string | undefined {
  if (request.method !== "GET") return undefined;
  const url = new URL(request.url);
  if (!hotPath.test(url.pathname)) return undefined;
  if (personal.some((name) => request.headers.has(name))) return undefined;
  return url.pathname + url.search;
}

function isStoredImage(response: Response): boolean {
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  return (
    response.status === 200 &&
    (response.headers.get("content-type") ?? "").startsWith("image/") &&
    /\bimmutable\b/.test(response.headers.get("cache-control") ?? "") &&
    length > 0 &&
    length <= HOT_ENTRY_BYTES
  );
}

export function hotImages(
  options: { maxBytes?: number; ttlMs?: number; now?: () => number } = {},
): HotImages {
  const maxBytes = options.maxBytes ?? HOT_BYTES;
  const ttlMs = options.ttlMs ?? HOT_TTL_MS;
  const now = options.now ?? Date.now;
  // In the order they were last used: the first is the next to go.
  const kept = new Map<string, Kept>();
  let bytes = 0;
  const drop = (url: string) => {
    const entry = kept.get(url);
    if (!entry) return;
    kept.delete(url);
    bytes -= entry.bytes.byteLength;
  };
  return {
    answer(request) {
      const url = hotUrl(request);
      const entry = url === undefined ? undefined : kept.get(url);
      if (url === undefined || !entry) return undefined;
      if (entry.until <= now()) {
        drop(url);
        return undefined;
      }
      kept.delete(url);
      kept.set(url, entry);
      return new Response(entry.bytes, { headers: entry.headers });
    },
    keep(request, response, defer) {
      const url = hotUrl(request);
      if (url === undefined || kept.has(url) || !isStoredImage(response)) return;
      const headers = [...response.headers];
      const etag = response.headers.get("etag");
      const copy = response.clone();
      defer(
        copy
          .arrayBuffer()
          .then((buffer) => {
            if (kept.has(url) || buffer.byteLength > HOT_ENTRY_BYTES) return;
            kept.set(url, { bytes: buffer, headers, etag, until: now() + ttlMs });
            bytes += buffer.byteLength;
            for (const oldest of kept.keys()) {
              if (bytes <= maxBytes) break;
              drop(oldest);
            }
          })
          .catch(() => undefined),
      );
    },
    forget(etag) {
      for (const [url, entry] of kept) if (entry.etag === etag) drop(url);
    },
  };
}

/**
 * The kept answer to a request, or the app's (`answer`), then kept: the entries' fetch handlers
 * call this before anything else. `defer` keeps the isolate alive for the work after the answer.
 */
export async function throughHotImages(
  hot: HotImages,
  request: Request,
  answer: () => Promise<Response>,
  defer: (work: Promise<unknown>) => void,
): Promise<Response> {
  const kept = hot.answer(request);
  if (kept) return kept;
  const response = await answer();
  hot.keep(request, response, defer);
  return response;
}
