import type { Context } from "hono";
import type { ImageBytes } from "../domain/ports.ts";
import type { AppDeps } from "./deps.ts";

export const IMMUTABLE = "public, max-age=31536000, immutable";
const extensions: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** The types an image is stored as. */
export const imageTypes = Object.keys(extensions);
export const extensionOf = (contentType: string) => extensions[contentType] ?? "bin";
export const typeOfExtension = (extension: string) =>
  imageTypes.find((type) => extensions[type] === extension);
export const etagOf = (key: string) => `"${key}"`;

/** The permanent URL of a stored image. */
export function imageUrl(
  context: Context,
  deps: AppDeps,
  key: string,
  contentType: string,
): string {
  const origin =
    deps.config.PUBLIC_BASE_URL?.replace(/\/+$/, "") ?? new URL(context.req.url).origin;
  return `${origin}/images/${key}.${extensionOf(contentType)}`;
}

/** Runs work after the answer where the runtime allows it (Workers), or right away. */
export function afterResponse(context: Context, work: Promise<unknown>): void {
  const settled = work.catch(() => {});
  try {
    context.executionCtx.waitUntil(settled);
  } catch {
    // no execution context (Deno): the promise runs on its own
  }
}

/** An image answer: immutable, content-addressed ETag, HEAD without a body. */
export function imageResponse(context: Context, image: ImageBytes): Response {
  const headers = {
    "content-type": image.contentType,
    "content-length": String(image.bytes),
    "cache-control": IMMUTABLE,
    etag: etagOf(image.key),
  };
  return new Response(context.req.method === "HEAD" ? null : (image.body ?? null), {
    status: 200,
    headers,
  });
}
