import type { ContentBlock, McpServer } from "@modelcontextprotocol/server";
import { defineTool } from "../define-tool.ts";
import { imageContent } from "../image-content.ts";
import type { ImageService } from "../image-service.ts";
import { startProgress } from "../progress.ts";
import { costOf, toGenerationRequest } from "../requests.ts";
import { resourceLink } from "../resource-link.ts";
import { generateInputSchema, generateOutputSchema } from "../schemas.ts";
import type { ToolSettings } from "./settings.ts";

export function registerGenerateImage(
  server: McpServer,
  service: ImageService,
  settings: ToolSettings,
): void {
  defineTool(
    server,
    "generate_image",
    {
      title: "Generate an image",
      description:
        "Generates an image from a text prompt with ZhiPu's GLM-Image (or CogView) and keeps it. Answers a link to the permanent image (url) and what was made; the same request again costs nothing (cached: true). GLM-Image writes text well: quote the exact words and say where they go. Sizes per model: resource glm-image://sizes; prices: glm-image://prices. Set include_image only when you must look at the picture yourself.",
      input: generateInputSchema,
      output: generateOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        // The same arguments give the same kept image, paid once.
        idempotentHint: true,
        openWorldHint: true,
      },
    },
    async (input, call) => {
      const request = toGenerationRequest(input);
      const { signal } = call;
      const progress = startProgress(
        call,
        `Generating a ${request.size} image with ${request.model}`,
        settings.progressIntervalMs,
      );
      const image = await service
        .generate(request, { signal, onProgress: (update) => progress.update(update.message) })
        .finally(() => progress.stop());
      const content: ContentBlock[] = [resourceLink(image)];
      if (input.include_image) {
        const maxBytes = settings.maxImageBytes;
        content.push(...(await imageContent(service, image, { maxBytes, signal })));
      }
      return {
        structured: {
          ...image,
          cost: costOf(request, image.cached),
          warnings: image.warnings ?? [],
        },
        content,
      };
    },
  );
}
