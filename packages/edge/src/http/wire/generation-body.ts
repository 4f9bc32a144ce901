import { type GenerationRequest, GlmImageError, parseGenerationRequest } from "@glm-image/core";
import type { z } from "@hono/zod-openapi";
import type { generationBodySchema } from "./schemas.ts";

export type GenerationBody = z.infer<typeof generationBodySchema>;

/** The generation body as a core request: OpenAI's `user` becomes ZhiPu's `user_id`. */
export function requestFromBody(body: GenerationBody): GenerationRequest {
  if ((body.n ?? 1) !== 1) {
    throw new GlmImageError(
      "invalid_request",
      "n must be 1: identical requests return the same stored image, so ask once per distinct prompt",
      { param: "n" },
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
