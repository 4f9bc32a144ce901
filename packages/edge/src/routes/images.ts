import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { etagOf, extensionOf, imageResponse, imageUrl, throughCache } from "../image-response.ts";
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
    // Content-addressed: the key is the ETag, so a revalidation needs no storage read.
    if (context.req.header("if-none-match")?.includes(etagOf(key))) {
      return new Response(null, {
        status: 304,
        headers: { etag: etagOf(key), "cache-control": "public, max-age=31536000, immutable" },
      });
    }
    return throughCache(context, deps, async () => {
      const image =
        context.req.method === "HEAD" ? await deps.store.head(key) : await deps.store.get(key);
      if (!image || extensionOf(image.metadata.content_type) !== match[2]) {
        await image?.body?.cancel();
        throw notFound();
      }
      return imageResponse(context, image);
    });
  });

  app.openapi(metadataRoute, async (context) => {
    const { key } = context.req.valid("param");
    const image = await deps.store.head(key);
    if (!image) throw notFound();
    return context.json(
      { key, url: imageUrl(context, deps, key, image.metadata.content_type), ...image.metadata },
      200,
    );
  });
}
