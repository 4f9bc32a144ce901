import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import {
  etagOf,
  extensionOf,
  IMMUTABLE,
  imageResponse,
  imageUrl,
  throughCache,
} from "../image-response.ts";
import { errorResponses, imageFilePattern, keyPattern, metadataSchema } from "../schemas.ts";

const fileRoute = createRoute({
  method: "get",
  path: "/images/{file}",
  summary: "The stored image bytes (public, immutable; HEAD and If-None-Match too)",
  request: { params: z.object({ file: z.string().openapi({ example: `${"0".repeat(64)}.png` }) }) },
  responses: {
    200: {
      description: "The image",
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    304: { description: "Not modified" },
    404: errorResponses[404],
  },
});

const metadataRoute = createRoute({
  method: "get",
  path: "/v1/images/{key}",
  summary: "What is stored about an image",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ key: z.string().regex(keyPattern, "key must be 64 hex characters") }),
  },
  responses: {
    200: {
      description: "The metadata",
      content: { "application/json": { schema: metadataSchema } },
    },
    ...errorResponses,
  },
});

const notFound = () => new ApiError(404, "not_found", "No such image");

export function registerImages(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(fileRoute, async (context) => {
    const match = imageFilePattern.exec(context.req.valid("param").file);
    const key = match?.[1];
    if (!key) throw notFound();
    // Content-addressed: the key is the ETag. A revalidation reads no bytes, but only an image
    // that exists is "not modified".
    if (context.req.header("if-none-match")?.includes(etagOf(key))) {
      const image = await deps.store.read(key, false);
      if (!image || extensionOf(image.contentType) !== match[2]) throw notFound();
      return new Response(null, {
        status: 304,
        headers: { etag: etagOf(key), "cache-control": IMMUTABLE },
      });
    }
    return throughCache(context, deps, async () => {
      const image = await deps.store.read(key, context.req.method !== "HEAD");
      if (!image || extensionOf(image.contentType) !== match[2]) {
        await image?.body?.cancel();
        throw notFound();
      }
      return imageResponse(context, image);
    });
  });

  app.openapi(metadataRoute, async (context) => {
    const { key } = context.req.valid("param");
    const metadata = await deps.store.metadata(key);
    if (!metadata) throw notFound();
    return context.json(
      { key, url: imageUrl(context, deps, key, metadata.content_type), ...metadata },
      200,
    );
  });
}
