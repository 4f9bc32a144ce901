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
import {
  errorResponses,
  imageFilePattern,
  imageListSchema,
  jsonAnswer,
  keyPattern,
  metadataSchema,
} from "../schemas.ts";

const keyParam = z.object({
  key: z.string().regex(keyPattern, "key must be 64 hex characters"),
});

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
  request: { params: keyParam },
  responses: {
    200: jsonAnswer("The metadata", metadataSchema),
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/images",
  summary: "Stored images, newest first, with their metadata and URLs",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      cursor: z.string().max(1024).optional().openapi({ description: "next_cursor of a page" }),
      limit: z.coerce
        .number({ error: "limit must be a number" })
        .int("limit must be a whole number")
        .min(1, "limit must be 1 to 100")
        .max(100, "limit must be 1 to 100")
        .default(20),
    }),
  },
  responses: {
    200: jsonAnswer("One page of images", imageListSchema),
    ...errorResponses,
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/images/{key}",
  summary: "Remove an image and its journal entry: the next request for it generates it again",
  security: [{ bearer: [] }],
  request: { params: keyParam },
  responses: {
    200: {
      description: "Removed",
      content: {
        "application/json": {
          schema: z.object({
            id: z.string(),
            object: z.literal("image"),
            deleted: z.literal(true),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

const notFound = () => new ApiError("not_found", "No such image");

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

  app.openapi(listRoute, async (context) => {
    const { cursor, limit } = context.req.valid("query");
    const page = await deps.store.list({ ...(cursor ? { cursor } : {}), limit });
    return context.json(
      {
        object: "list" as const,
        data: page.images.map(({ key, metadata }) => ({
          key,
          url: imageUrl(context, deps, key, metadata.content_type),
          ...metadata,
        })),
        next_cursor: page.cursor ?? null,
      },
      200,
    );
  });

  app.openapi(deleteRoute, async (context) => {
    const { key } = context.req.valid("param");
    const metadata = await deps.store.metadata(key);
    if (!metadata) {
      // No image, but perhaps a journal entry: a paid call that may have been charged, kept so
      // that it is not sent again. Deleting it lets the next request generate the image.
      if (!(await deps.coordinator.forget(key))) throw notFound();
      return context.json({ id: key, object: "image" as const, deleted: true as const }, 200);
    }
    await deps.store.delete(key);
    await deps.coordinator.forget(key);
    const cache = await deps.openCache?.().catch(() => undefined);
    await cache?.delete(new Request(imageUrl(context, deps, key, metadata.content_type)));
    return context.json({ id: key, object: "image" as const, deleted: true as const }, 200);
  });
}
