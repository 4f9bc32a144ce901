import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { purgeImage, throughImageCache } from "../image-cache.ts";
import { etagOf, IMMUTABLE, imageResponse, imageUrl, typeOfExtension } from "../image-response.ts";
import {
  errorAnswers,
  imageFilePattern,
  imageListSchema,
  jsonAnswer,
  keyPattern,
  metadataSchema,
  storageErrors,
  tokenErrors,
} from "../wire/schemas.ts";

const keyParam = z.object({
  key: z
    .string()
    .regex(keyPattern, "key must be 64 hex characters")
    .openapi({ description: "The image's content key: 64 hex characters (its URL's file name)" }),
});

/** The answers of a route that names an image by its key. */
const keyErrors = {
  ...tokenErrors,
  400: "`invalid_request`: `key` is not 64 hex characters",
  404: "`not_found`: no image is stored under this key",
  ...storageErrors,
} as const;

const fileRoute = createRoute({
  method: "get",
  path: "/images/{file}",
  summary: "The stored image bytes (public, immutable; HEAD and If-None-Match too)",
  request: {
    params: z.object({
      file: z.string().openapi({
        example: `${"0".repeat(64)}.png`,
        description:
          "The content key and the extension of the stored type: `<key>.png`, `.jpg` or `.webp`",
      }),
    }),
  },
  responses: {
    200: {
      description: "The image",
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    304: { description: "Not modified: `If-None-Match` named this image's `ETag`" },
    ...errorAnswers({
      404: "`not_found`: no image under this key, or not with this extension",
      ...storageErrors,
    }),
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
    ...errorAnswers(keyErrors),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/images",
  summary: "Stored images, newest first, with their metadata and URLs",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      cursor: z
        .string()
        .max(1024)
        .optional()
        .openapi({ description: "The `next_cursor` of the page before; none for the first page" }),
      limit: z.coerce
        .number({ error: "limit must be a number" })
        .int("limit must be a whole number")
        .min(1, "limit must be 1 to 100")
        .max(100, "limit must be 1 to 100")
        .default(20)
        .openapi({ description: "Images per page, 1 to 100 (default 20)" }),
    }),
  },
  responses: {
    200: jsonAnswer("One page of images", imageListSchema),
    ...errorAnswers({
      ...tokenErrors,
      400: "`invalid_request`: `limit` is not 1 to 100, or `cursor` is longer than 1024 characters",
      ...storageErrors,
    }),
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
            id: z.string().openapi({ description: "The key of the removed image" }),
            object: z.literal("image").openapi({ description: "Always `image`" }),
            deleted: z.literal(true).openapi({ description: "Always `true`" }),
          }),
        },
      },
    },
    ...errorAnswers(keyErrors),
  },
});

const notFound = () => new ApiError("not_found", "No such image");

export function registerImages(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(fileRoute, async (context) => {
    const match = imageFilePattern.exec(context.req.valid("param").file);
    const key = match?.[1];
    const contentType = typeOfExtension(match?.[2] ?? "");
    if (!key || !contentType) throw notFound();
    // Content-addressed: the key is the ETag. A revalidation reads no bytes, but only an image
    // that exists is "not modified".
    if (context.req.header("if-none-match")?.includes(etagOf(key))) {
      const image = await deps.store.read(key, false);
      if (!image || image.contentType !== contentType) throw notFound();
      return new Response(null, {
        status: 304,
        headers: { etag: etagOf(key), "cache-control": IMMUTABLE },
      });
    }
    return throughImageCache(context, deps, key, contentType, async () => {
      const image = await deps.store.read(key, context.req.method !== "HEAD");
      if (!image || image.contentType !== contentType) {
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
    await purgeImage(context, deps, key, metadata.content_type);
    return context.json({ id: key, object: "image" as const, deleted: true as const }, 200);
  });
}
