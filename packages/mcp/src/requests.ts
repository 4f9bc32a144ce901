import {
  estimateCost,
  type GenerationRequest,
  type Price,
  parseGenerationRequest,
} from "@glm-image/core";
import type * as z from "zod";
import type { generateInputSchema, requestInputSchema } from "./schemas.ts";

type RequestInput = z.output<typeof requestInputSchema> & {
  user_id?: z.output<typeof generateInputSchema>["user_id"];
};

/** Tool arguments as core's normalised request: per-model defaults, size `WxH`, INVALID_* thrown. */
export function toGenerationRequest(input: RequestInput): GenerationRequest {
  return parseGenerationRequest({
    prompt: input.prompt,
    model: input.model,
    size: input.size,
    quality: input.quality,
    watermark_enabled: input.watermark,
    user_id: input.user_id,
  });
}

/** What one call costs: nothing when the image was kept already, else the model's list price. */
export function costOf(request: GenerationRequest, cached: boolean): Price {
  return estimateCost(cached ? [] : [request.model]);
}
