import { embedSnippets } from "@glm-image/core";
import type { McpServer } from "@modelcontextprotocol/server";
import { defineTool } from "../define-tool.ts";
import type { ImageService } from "../image-service.ts";
import { toGenerationRequest } from "../requests.ts";
import { embedInputSchema, embedOutputSchema } from "../schemas.ts";

export function registerEmbedImage(server: McpServer, service: ImageService): void {
  defineTool(
    server,
    "embed_image",
    {
      title: "Embed an image",
      description:
        "Markdown, an <img> and a <picture> to paste into a README or a page, with a signed render URL: the same image on every view, generated once (started now, so it is ready when first seen). dark_prompt adds a dark-mode variant.",
      input: embedInputSchema,
      output: embedOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        // Warming generates through ZhiPu; the URL is public.
        openWorldHint: true,
      },
    },
    async (input, { signal }) => {
      const light = toGenerationRequest(input);
      const dark =
        input.dark_prompt === undefined
          ? undefined
          : toGenerationRequest({ ...input, prompt: input.dark_prompt });
      const [lightUrl, darkUrl] = await Promise.all([
        service.embed(light, { signal }),
        dark === undefined ? undefined : service.embed(dark, { signal }),
      ]);
      const snippets = embedSnippets({
        url: lightUrl.url,
        ...(darkUrl === undefined ? {} : { darkUrl: darkUrl.url }),
        alt: input.alt ?? light.prompt,
      });
      return {
        structured: {
          url: lightUrl.url,
          ...(darkUrl === undefined ? {} : { dark_url: darkUrl.url }),
          ...snippets,
        },
      };
    },
  );
}
