import {
  contentKey,
  type GenerationRequest,
  GlmImageError,
  parseGenerationRequest,
} from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { outcomeError } from "../generation-outcome.ts";
import { imageUrl } from "../image-response.ts";
import type { GenerationOutcome } from "../ports.ts";
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

/**
 * b64_json reads back the stored object: its bytes passed the checked download (type from the
 * bytes, length, cap) on their way in. An image that could not be stored has no checked bytes.
 */
async function b64Json(deps: AppDeps, key: string, outcome: GenerationOutcome): Promise<string> {
  const image = outcome.ok && outcome.stored ? await deps.store.read(key, true) : null;
  if (!image?.body) {
    throw new GlmImageError(
      "DOWNLOAD_FAILED",
      `The image is paid for but could not be downloaded and checked yet${outcome.ok && !outcome.stored ? ` (${outcome.upstreamUrl})` : ""}; ask again: it will not be paid for twice`,
      { retryAfterMs: outcome.ok && !outcome.stored ? outcome.retryAfter * 1000 : undefined },
    );
  }
  return base64(image.body);
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
            b64_json: await b64Json(deps, key, outcome),
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
