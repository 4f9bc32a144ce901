import { GlmImageError } from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ownersOf } from "../../domain/image-store.ts";
import type { ImageMetadata } from "../../domain/ports.ts";
import { ADMINS, isTenantName, type Tenant } from "../../domain/tenants.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
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
  404: "`not_found`: none of the caller's images is stored under this key (another tenant's image answers the same, never 403)",
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
  summary: "What is stored about one of the caller's images",
  description:
    "404 for an image the caller does not own, as for one that does not exist: no answer says that another tenant's image exists. An admin reads every image, with its `owners`.",
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
  summary: "The caller's stored images, newest first, with their metadata and URLs",
  description:
    "A tenant lists the images it owns: those it paid for, and those it got from the store or from a generation under way (newest ownership first). An admin lists every stored image, or one tenant's with `tenant`.",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      cursor: z
        .string()
        .max(1024)
        .optional()
        .openapi({ description: "The `next_cursor` of the page before; none for the first page" }),
      tenant: z
        .string()
        .refine(isTenantName, "tenant must be a tenant's name")
        .optional()
        .openapi({
          description: `Admins only: that tenant's images (\`${ADMINS}\`: those of render URLs signed without a tenant). A tenant may name only itself`,
        }),
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
      400: "`invalid_request`: `limit` is not 1 to 100, `cursor` is longer than 1024 characters, or `tenant` is no tenant's name",
      403: "`forbidden`: a tenant's token named another tenant in `tenant` (only an admin lists another's images)",
      ...storageErrors,
    }),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/images/{key}",
  summary: "Remove one of the caller's images",
  description:
    "Takes the caller off the image's owners. The image itself (bytes, metadata, cache entries and journal entry) goes when no owner is left, or at once when an admin deletes it: the next request for it generates, and pays for, it again. 404 for an image the caller does not own.",
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

const notFound = () => new GlmImageError("not_found", "No such image");

/** Whether the caller may see the image: an admin every one, a tenant those it owns. */
const mayRead = (tenant: Tenant, metadata: ImageMetadata) =>
  tenant.admin || ownersOf(metadata)[tenant.name] !== undefined;

/** An image as the API answers it: its owners are shown to admins only. */
function presented(context: Context<AppEnv>, deps: AppDeps, key: string, metadata: ImageMetadata) {
  const { owners: _owners, ...fields } = metadata;
  return {
    key,
    url: imageUrl(context, deps, key, metadata.content_type),
    ...fields,
    ...(context.get("tenant").admin ? { owners: Object.keys(ownersOf(metadata)).sort() } : {}),
  };
}

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
    if (!metadata || !mayRead(context.get("tenant"), metadata)) throw notFound();
    return context.json(presented(context, deps, key, metadata), 200);
  });

  app.openapi(listRoute, async (context) => {
    const { cursor, limit, tenant: asked } = context.req.valid("query");
    const caller = context.get("tenant");
    if (asked !== undefined && asked !== caller.name && !caller.admin) {
      throw new GlmImageError("forbidden", "Only an admin token lists another tenant's images", {
        param: "tenant",
      });
    }
    // A tenant's own images; an admin's: every image, unless it names a tenant.
    const owner = asked ?? (caller.admin ? undefined : caller.name);
    const page = await deps.store.list({
      ...(cursor ? { cursor } : {}),
      limit,
      ...(owner === undefined ? {} : { owner }),
    });
    return context.json(
      {
        object: "list" as const,
        data: page.images.map(({ key, metadata }) => presented(context, deps, key, metadata)),
        next_cursor: page.cursor ?? null,
      },
      200,
    );
  });

  app.openapi(deleteRoute, async (context) => {
    const { key } = context.req.valid("param");
    const tenant = context.get("tenant");
    const owner = tenant.admin ? undefined : tenant.name;
    // An admin removes the image whoever owns it; a tenant its own ownership.
    const released = await deps.coordinator.release(key, owner);
    if (released.removed === "nothing") {
      // None of the caller's images, but perhaps its journal entry: a paid call that may have been
      // charged, kept so that it is not sent again. Deleting it lets the next request generate
      // the image. Another tenant's image answers 404, as one that does not exist.
      if ((await deps.store.metadata(key)) || !(await deps.coordinator.forget(key, owner))) {
        throw notFound();
      }
      return context.json({ id: key, object: "image" as const, deleted: true as const }, 200);
    }
    if (released.removed === "image") {
      await purgeImage(context, deps, key, released.metadata.content_type);
    }
    return context.json({ id: key, object: "image" as const, deleted: true as const }, 200);
  });
}
