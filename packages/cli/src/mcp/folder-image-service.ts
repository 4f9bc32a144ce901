import { readFile, stat } from "node:fs/promises";
import {
  contentKey,
  type GenerationRequest,
  GlmImageError,
  signedRenderUrl,
} from "@glm-image/core";
import type { GeneratedImage, ImageService } from "@glm-image/mcp";
import { type PaidWork, prepareTarget, type Stage } from "@glm-image/node";
import { outDirName, wholeImageIn } from "../out-dir.ts";
import type { KeptImages } from "./kept-images.ts";

export interface FolderImageServiceOptions {
  images: KeptImages;
  /** The journaled paid work; throws MISSING_API_KEY when there is no credential. */
  work: () => PaidWork;
  /** Whether images come from a deployed edge: their URL is then the edge's, permanent. */
  throughEdge: boolean;
  /** For embed_image: the edge that serves render URLs, and its SIGNING_SECRET. */
  signing: { edgeUrl: string | undefined; secret: string | undefined };
  /** Aborted when the server stops: the paid work in flight stops (the journal keeps it). */
  lifetime?: AbortSignal | undefined;
  fetch?: typeof fetch;
}

const stageText: Record<Stage, string> = {
  generating: "Asking ZhiPu",
  submitted: "ZhiPu accepted the task; generating",
  "resuming-task": "Resuming a paid task from the journal",
  "resuming-image": "Downloading a paid image from the journal",
  downloading: "Downloading",
};

interface Flight {
  image: Promise<GeneratedImage>;
  listeners: Set<(message: string) => void>;
}

/** Waits for `work`, or stops waiting (not the work) when `signal` aborts. */
function until<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

/**
 * The MCP server's port over the CLI: images generated through the CLI's journaled paid work
 * (directly, or through an edge), saved in one folder as --out-dir saves them, and kept there
 * (kept-images.ts). A generation is this process's, not the call's: a host that cancels a call
 * stops waiting, the image still lands, and the call made again joins it (or finds it saved)
 * and pays nothing more. A server killed mid-way leaves the journal entry, which the next run
 * resumes.
 */
export function folderImageService(options: FolderImageServiceOptions): ImageService {
  const { images } = options;
  const flights = new Map<string, Flight>();

  async function produce(request: GenerationRequest, key: string, listeners: Flight["listeners"]) {
    const nameFor = outDirName(images.folder, request, key);
    const notify = (stage: Stage) => {
      for (const listener of listeners) listener(stageText[stage]);
    };
    const { result, saved, resumed } = await options
      .work()
      .produce(
        { key, request, target: () => prepareTarget(nameFor("png")), nameFor },
        { signal: options.lifetime, onStage: notify },
      );
    if (!saved) throw new GlmImageError("DOWNLOAD_FAILED", "The image was not saved");
    const stored = await images.put(
      {
        key,
        prompt: request.prompt,
        model: request.model,
        size: request.size,
        quality: request.quality,
        created: result.created,
        content_type: saved.contentType,
        bytes: saved.bytes,
        content_filter: result.contentFilter,
        ...(options.throughEdge ? { edge_url: result.url } : {}),
      },
      saved.path,
    );
    return { ...stored, cached: resumed !== undefined, warnings: result.warnings };
  }

  /** Whether the folder holds an image of the request, kept or saved by --out-dir. */
  const isSaved = async (request: GenerationRequest, key: string) =>
    (await images.read(key)) !== undefined ||
    (await wholeImageIn(images.folder, request, key)) !== undefined;

  /** An image of the request already saved in the folder (by the CLI's --out-dir, say). */
  async function alreadySaved(request: GenerationRequest, key: string) {
    const kept = await images.get(key);
    if (kept) return kept;
    const found = await wholeImageIn(images.folder, request, key);
    if (!found) return undefined;
    const file = await stat(found.path);
    return images.put(
      {
        key,
        prompt: request.prompt,
        model: request.model,
        size: request.size,
        quality: request.quality,
        created: Math.floor(file.mtimeMs / 1000),
        content_type: found.contentType,
        bytes: file.size,
        content_filter: [],
      },
      found.path,
    );
  }

  return {
    async generate(request, { signal, onProgress }) {
      const key = await contentKey(request);
      const saved = await alreadySaved(request, key);
      if (saved) return { ...saved, cached: true };
      let flight = flights.get(key);
      if (!flight) {
        const listeners: Flight["listeners"] = new Set();
        const image = produce(request, key, listeners).finally(() => flights.delete(key));
        // A flight nobody waits for any more still ends, well or badly: never unhandled.
        image.catch(() => {});
        flight = { image, listeners };
        flights.set(key, flight);
      }
      const listener = (message: string) => onProgress({ message });
      flight.listeners.add(listener);
      try {
        return await until(flight.image, signal);
      } finally {
        flight.listeners.delete(listener);
      }
    },
    estimate: (requests) =>
      Promise.all(
        requests.map(async (request) => ({
          // Read-only, as estimate_cost says: nothing is recorded here (generate records).
          cached: await isSaved(request, await contentKey(request)),
        })),
      ),
    async list({ cursor, limit }) {
      const offset = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isSafeInteger(offset) || offset < 0 || !/^\d+$/.test(cursor ?? "0")) {
        throw new GlmImageError("invalid_request", "cursor is not a next_cursor list_images gave", {
          param: "cursor",
        });
      }
      const all = await images.list();
      const page = all.slice(offset, offset + limit);
      const next = offset + page.length;
      return { images: page, ...(next < all.length ? { nextCursor: String(next) } : {}) };
    },
    get: (key) => images.get(key),
    delete: (key) => images.remove(key),
    async embed(request, { signal }) {
      const { edgeUrl, secret } = options.signing;
      if (!edgeUrl || !secret) {
        throw new GlmImageError(
          "invalid_request",
          `embed_image needs a deployed edge: start glm-image mcp with ${edgeUrl ? "" : "--edge-url (or GLM_IMAGE_EDGE_URL)"}${!edgeUrl && !secret ? " and " : ""}${secret ? "" : "the edge's SIGNING_SECRET in its environment"}`,
        );
      }
      const url = await signedRenderUrl(
        edgeUrl,
        {
          prompt: request.prompt,
          model: request.model,
          size: request.size,
          quality: request.quality,
        },
        secret,
      );
      // Warmed: the first view of the URL makes the image; this is that view, so that readers
      // of the page find it made. A failed warm-up leaves a URL that still works.
      await (options.fetch ?? fetch)(url, { signal })
        .then((response) => response.body?.cancel())
        .catch(() => {});
      return { url };
    },
    async readImage(image) {
      const record = await images.read(image.key);
      if (!record)
        throw new GlmImageError("DOWNLOAD_FAILED", "The image is no longer in the folder");
      return new Uint8Array(await readFile(images.pathOf(record)));
    },
  };
}
