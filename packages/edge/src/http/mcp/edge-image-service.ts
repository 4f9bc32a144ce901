import { contentKey, GlmImageError } from "@glm-image/core";
import type { ImageService, StoredImage } from "@glm-image/mcp";
import type { Context } from "hono";
import { ownersOf } from "../../domain/image-store.ts";
import { outcomeError } from "../../domain/outcome-error.ts";
import { generateFor } from "../../domain/ownership.ts";
import type { ImageMetadata } from "../../domain/ports.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { purgeImage } from "../image-cache.ts";
import { imageUrl } from "../image-response.ts";
import { mintRenderUrl } from "../render-url.ts";

/**
 * The MCP server's port over the edge, for the tenant the request authenticated: the same
 * generation (single flight, journal, budgets), ownership and store as the API's routes. A call
 * cancelled by the host leaves the generation running (it is journaled): the retry joins it or
 * finds it stored, and pays nothing more.
 */
export function edgeImageService(context: Context<AppEnv>, deps: AppDeps): ImageService {
  const tenant = context.get("tenant");
  const owner = tenant.admin ? undefined : tenant.name;
  const stored = (key: string, metadata: ImageMetadata): StoredImage => {
    const { owners: _owners, ...fields } = metadata;
    return { key, url: imageUrl(context, deps, key, metadata.content_type), ...fields };
  };
  const mayRead = (metadata: ImageMetadata) =>
    tenant.admin || ownersOf(metadata)[tenant.name] !== undefined;
  return {
    async generate(request, { onProgress }) {
      const key = await contentKey(request);
      onProgress({ message: "Asking ZhiPu" });
      const outcome = await generateFor(deps, { key, request, tenant: tenant.name });
      if (!outcome.ok) throw outcomeError(outcome);
      if (!outcome.stored) {
        throw new GlmImageError(
          "DOWNLOAD_FAILED",
          "The image is paid for but could not be stored yet; call again: it will not be paid for twice",
          { retryAfterMs: outcome.retryAfter * 1000 },
        );
      }
      return { ...stored(key, outcome.metadata), cached: outcome.paid !== true };
    },
    estimate: (requests) =>
      Promise.all(
        requests.map(async (request) => ({
          cached: (await deps.store.metadata(await contentKey(request))) !== null,
        })),
      ),
    async list({ cursor, limit }) {
      const page = await deps.store.list({
        ...(cursor ? { cursor } : {}),
        limit,
        ...(owner === undefined ? {} : { owner }),
      });
      return {
        images: page.images.map(({ key, metadata }) => stored(key, metadata)),
        ...(page.cursor ? { nextCursor: page.cursor } : {}),
      };
    },
    async get(key) {
      const metadata = await deps.store.metadata(key);
      return metadata && mayRead(metadata) ? stored(key, metadata) : undefined;
    },
    async delete(key) {
      const released = await deps.coordinator.release(key, owner);
      if (released.removed === "nothing") return false;
      if (released.removed === "image") {
        await purgeImage(context, deps, key, released.metadata.content_type);
      }
      return true;
    },
    embed: async (request) => ({ url: await mintRenderUrl(context, deps, request, true) }),
    async readImage(image) {
      const read = await deps.store.read(image.key, true);
      if (!read?.body) throw new GlmImageError("DOWNLOAD_FAILED", "The image is not stored");
      return new Uint8Array(await new Response(read.body).arrayBuffer());
    },
  };
}
