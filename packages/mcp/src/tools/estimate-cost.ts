import {
  estimateCost,
  type GenerationRequest,
  GlmImageError,
  isGlmImageError,
  PRICES_AS_OF,
} from "@glm-image/core";
import type { McpServer } from "@modelcontextprotocol/server";
import type * as z from "zod";
import { defineTool } from "../define-tool.ts";
import type { ImageService } from "../image-service.ts";
import { costOf, toGenerationRequest } from "../requests.ts";
import { estimateInputSchema, estimateOutputSchema } from "../schemas.ts";

interface PlannedImage {
  path?: string;
  request: GenerationRequest;
}

/** One request (the top-level fields) or several (`requests`), each checked as generate would. */
export function plannedImages(input: z.output<typeof estimateInputSchema>): PlannedImage[] {
  const { requests, ...single } = input;
  if (requests !== undefined && single.prompt !== undefined) {
    throw new GlmImageError(
      "invalid_request",
      "Give either prompt (one request) or requests (several), not both",
      { param: "requests" },
    );
  }
  if (requests === undefined) {
    const { prompt } = single;
    if (prompt === undefined) {
      throw new GlmImageError("INVALID_PROMPT", "prompt is required (or requests: a list)", {
        param: "prompt",
      });
    }
    return [{ request: toGenerationRequest({ ...single, prompt }) }];
  }
  return requests.map((entry, index) => {
    try {
      return {
        ...(entry.path === undefined ? {} : { path: entry.path }),
        request: toGenerationRequest(entry),
      };
    } catch (error) {
      if (!isGlmImageError(error)) throw error;
      throw new GlmImageError(error.code, `requests[${index}]: ${error.message}`, {
        param: `requests[${index}].${error.param ?? "prompt"}`,
      });
    }
  });
}

export function registerEstimateCost(server: McpServer, service: ImageService): void {
  defineTool(
    server,
    "estimate_cost",
    {
      title: "Estimate the cost",
      description:
        "The plan and list price of one request or of several (a manifest's entries), checked as generate_image checks them. Images kept already cost nothing. Nothing is generated or paid.",
      input: estimateInputSchema,
      output: estimateOutputSchema,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (input, { signal }) => {
      const planned = plannedImages(input);
      const kept = await service.estimate(
        planned.map((image) => image.request),
        { signal },
      );
      // An answer the service did not give counts as paid: an estimate never says too little.
      const cached = planned.map((_, index) => kept[index]?.cached ?? false);
      const toPay = planned.filter((_, index) => !cached[index]).map(({ request }) => request);
      return {
        structured: {
          images: planned.map(({ path, request }, index) => ({
            ...(path === undefined ? {} : { path }),
            prompt: request.prompt,
            model: request.model,
            size: request.size,
            quality: request.quality,
            cached: cached[index] ?? false,
            cost: costOf(request, cached[index] ?? false),
          })),
          planned: toPay.length,
          cached: planned.length - toPay.length,
          cost: estimateCost(toPay.map((request) => request.model)),
          prices_as_of: PRICES_AS_OF,
        },
      };
    },
  );
}
