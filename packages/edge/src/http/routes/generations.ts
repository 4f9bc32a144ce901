import { contentKey, GlmImageError } from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { isSameRequest, requestDigest } from "../../domain/idempotency.ts";
import { outcomeError } from "../../domain/outcome-error.ts";
import { generateFor } from "../../domain/ownership.ts";
import type { GenerationOutcome } from "../../domain/ports.ts";
import { waitAtMost } from "../bounded-wait.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { imageUrl } from "../image-response.ts";
import { requestFromOpenAi } from "../wire/openai.ts";
import { answerShapeOf, gptImageFields, imageEventStream } from "../wire/openai-answer.ts";
import {
  bodyErrors,
  errorAnswers,
  generationErrors,
  generationResponseSchema,
  idempotencyErrors,
  openAiGenerationBodySchema,
  tokenErrors,
} from "../wire/schemas.ts";

const route = createRoute({
  method: "post",
  path: "/v1/images/generations",
  summary: "Generate images (OpenAI-compatible) and keep them",
  description:
    "OpenAI clients work with their defaults: OpenAI model names mean the default model, OpenAI sizes and `auto` become the model's nearest recommended size (the answer's `size`), qualities map to the model's own, `n` 1-4 gives distinct images generated in parallel, each paid once.",
  security: [{ bearer: [] }],
  request: {
    headers: z.object({
      "idempotency-key": z.string().max(255).optional().openapi({
        description:
          "Up to 255 characters of your choosing: the same key with the same request (every field, `n` and `response_format` included) answers the same images and never pays twice; with another request it is 422 `idempotency_key_reused`. Per token",
      }),
    }),
    body: {
      content: { "application/json": { schema: openAiGenerationBodySchema } },
      required: true,
    },
  },
  responses: {
    200: {
      description:
        "The image, stored: JSON, or with `stream: true` OpenAI's event stream (`image_generation.completed` events)",
      content: {
        "application/json": { schema: generationResponseSchema },
        "text/event-stream": { schema: z.string() },
      },
    },
    ...errorAnswers({
      ...generationErrors,
      ...tokenErrors,
      ...bodyErrors,
      ...idempotencyErrors,
      429: generationErrors[429],
    }),
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
    const { request, n } = requestFromOpenAi(body);
    const shape = answerShapeOf(body);
    // One content key per image asked for; the first is the key a single image always had.
    const keys = await Promise.all(
      Array.from({ length: n }, (_, variant) => contentKey({ ...request, variant })),
    );
    const tenant = context.get("tenant").name;
    const idempotencyKey = context.req.header("idempotency-key");
    if (idempotencyKey) {
      const digest = await requestDigest(request, {
        n,
        responseFormat: shape.responseFormat,
      });
      const scope = { tenant, idempotencyKey };
      if (!(await isSameRequest(deps.coordinator, scope, digest))) {
        throw new GlmImageError(
          "idempotency_key_reused",
          "This Idempotency-Key was used with a different request (another prompt, n, size, response_format or other field); use a new key for new work",
          { param: "Idempotency-Key" },
        );
      }
    }
    // In parallel: each key has its own single flight and journal, so each is paid once. When one
    // fails, the others are kept: asking again pays only for what is missing.
    const settled = await waitAtMost(
      context,
      Promise.all(
        keys.map(async (variantKey) => ({
          key: variantKey,
          outcome: await generateFor(deps, { key: variantKey, request, tenant }),
        })),
      ),
      deps.config.REQUEST_WAIT_SECONDS,
    );
    const images: Array<{ key: string; outcome: Extract<GenerationOutcome, { ok: true }> }> = [];
    for (const { key: variantKey, outcome } of settled) {
      if (!outcome.ok) throw outcomeError(outcome);
      images.push({ key: variantKey, outcome });
    }
    const data = await Promise.all(
      images.map(async ({ key: variantKey, outcome }) => {
        if (shape.responseFormat === "b64_json") {
          return {
            b64_json: await b64Json(deps, variantKey, outcome),
            revised_prompt: request.prompt,
          };
        }
        const url = outcome.stored
          ? imageUrl(context, deps, variantKey, outcome.metadata.content_type)
          : outcome.upstreamUrl;
        return { url, revised_prompt: request.prompt };
      }),
    );
    const notStored = images.map(({ outcome }) => outcome).find((outcome) => !outcome.stored);
    const created = images[0]?.outcome.metadata.created ?? Math.floor(Date.now() / 1000);
    if (shape.stream) {
      return imageEventStream(data as Array<{ b64_json: string }>, {
        created,
        size: request.size,
        quality: request.quality,
      });
    }
    return context.json(
      {
        created,
        data,
        content_filter: images.flatMap(({ outcome }) => outcome.metadata.content_filter),
        model: request.model,
        size: request.size,
        quality: request.quality,
        ...(notStored && !notStored.stored ? { stored: false, warning: notStored.warning } : {}),
        ...(shape.gptImage ? gptImageFields : {}),
      },
      200,
    );
  });
}
