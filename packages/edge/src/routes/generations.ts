import { contentKey, type GenerationRequest, parseGenerationRequest } from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { outcomeError } from "../generation.ts";
import { imageUrl } from "../image-response.ts";
import { errorResponses, generationBodySchema, generationResponseSchema } from "../schemas.ts";

export type GenerationBody = z.infer<typeof generationBodySchema>;

/** The generation body as a core request: OpenAI's `user` becomes ZhiPu's `user_id`. */
export function requestFromBody(body: GenerationBody): GenerationRequest {
  if ((body.n ?? 1) !== 1) {
    throw new ApiError(
      400,
      "invalid_request",
      "n must be 1: identical requests return the same stored image, so ask once per distinct prompt",
      "n",
    );
  }
  return parseGenerationRequest({
    prompt: body.prompt,
    model: body.model,
    size: body.size,
    quality: body.quality,
    watermark_enabled: body.watermark_enabled,
    user_id: body.user_id ?? body.user,
  });
}

const route = createRoute({
  method: "post",
  path: "/v1/images/generations",
  summary: "Generate an image (OpenAI-compatible) and keep it",
  security: [{ bearer: [] }],
  request: {
    headers: z.object({ "idempotency-key": z.string().max(255).optional() }),
    body: { content: { "application/json": { schema: generationBodySchema } }, required: true },
  },
  responses: {
    200: {
      description: "The image, stored",
      content: { "application/json": { schema: generationResponseSchema } },
    },
    ...errorResponses,
  },
});

async function base64(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let text = "";
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(text);
}

async function b64Json(
  deps: AppDeps,
  key: string,
  fallbackUrl: string | undefined,
): Promise<string> {
  const image = await deps.store.get(key);
  if (image?.body) return base64(image.body);
  const response = fallbackUrl ? await fetch(fallbackUrl) : undefined;
  if (!response?.ok || !response.body)
    throw new ApiError(502, "DOWNLOAD_FAILED", "The image could not be read back");
  return base64(response.body);
}

export function registerGenerations(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (context) => {
    const body = context.req.valid("json");
    const request = requestFromBody(body);
    const key = await contentKey(request);
    const idempotencyKey = context.req.header("idempotency-key");
    if (idempotencyKey) {
      const bound = await deps.coordinator.claim(
        `${context.get("tokenId")}:${idempotencyKey}`,
        key,
      );
      if (bound !== key) {
        throw new ApiError(
          400,
          "idempotency_key_reused",
          "This Idempotency-Key was used with a different request; use a new key for new work",
          "Idempotency-Key",
        );
      }
    }
    const outcome = await deps.coordinator.generate({ key, request });
    if (!outcome.ok) throw outcomeError(outcome);
    const url = outcome.stored
      ? imageUrl(context, deps, key, outcome.metadata.content_type)
      : outcome.upstreamUrl;
    const item =
      body.response_format === "b64_json"
        ? {
            b64_json: await b64Json(deps, key, outcome.stored ? undefined : outcome.upstreamUrl),
            revised_prompt: request.prompt,
          }
        : { url, revised_prompt: request.prompt };
    return context.json(
      {
        created: outcome.metadata.created,
        data: [item],
        content_filter: outcome.metadata.content_filter,
        ...(outcome.stored ? {} : { stored: false, warning: outcome.warning }),
      },
      200,
    );
  });
}
