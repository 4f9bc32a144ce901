import {
  contentKey,
  parseGenerationRequest,
  signedRenderUrl,
  verifyRenderSignature,
} from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { outcomeError } from "../generation.ts";
import { imageResponse, throughCache } from "../image-response.ts";
import { errorResponses, generationBodySchema } from "../schemas.ts";
import { requestFromBody } from "./generations.ts";

const renderRoute = createRoute({
  method: "get",
  path: "/render",
  summary: "A signed, embeddable image: generated once, then served from storage",
  request: {
    query: z.object({
      prompt: z.string(),
      model: z.string().optional(),
      size: z.string().optional(),
      quality: z.string().optional(),
      sig: z.string().optional().openapi({
        description: "hex HMAC-SHA256 of the other parameters, sorted and URL-encoded",
      }),
    }),
  },
  responses: {
    200: {
      description: "The image",
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorResponses,
  },
});

const renderUrlRoute = createRoute({
  method: "post",
  path: "/v1/render-urls",
  summary: "Mint a signed render URL",
  security: [{ bearer: [] }],
  request: {
    body: { content: { "application/json": { schema: generationBodySchema } }, required: true },
  },
  responses: {
    200: {
      description: "The URL",
      content: { "application/json": { schema: z.object({ url: z.string() }) } },
    },
    ...errorResponses,
  },
});

function secretOf(deps: AppDeps): string {
  const secret = deps.config.SIGNING_SECRET;
  if (!secret)
    throw new ApiError(
      404,
      "not_found",
      "Render URLs are disabled: the service has no SIGNING_SECRET",
    );
  return secret;
}

export function registerRender(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(renderRoute, async (context) => {
    const secret = secretOf(deps);
    const params = Object.fromEntries(new URL(context.req.url).searchParams);
    if (!params.sig || !(await verifyRenderSignature(params, params.sig, secret))) {
      throw new ApiError(
        403,
        "invalid_signature",
        "The signature does not match these parameters",
        "sig",
      );
    }
    return throughCache(context, deps, async () => {
      const { sig: _signature, ...fields } = context.req.valid("query");
      const request = parseGenerationRequest(fields);
      const key = await contentKey(request);
      const outcome = await deps.coordinator.generate({ key, request });
      if (!outcome.ok) throw outcomeError(outcome);
      if (!outcome.stored) return context.redirect(outcome.upstreamUrl, 302);
      const image = await deps.store.get(key);
      if (!image) throw new ApiError(502, "upstream_error", "The image vanished from storage");
      return imageResponse(context, image);
    });
  });

  app.openapi(renderUrlRoute, async (context) => {
    const request = requestFromBody(context.req.valid("json"));
    const origin = deps.config.PUBLIC_BASE_URL ?? new URL(context.req.url).origin;
    const url = await signedRenderUrl(
      origin,
      {
        prompt: request.prompt,
        model: request.model,
        size: request.size,
        quality: request.quality,
      },
      secretOf(deps),
    );
    return context.json({ url }, 200);
  });
}
