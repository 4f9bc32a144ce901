// The caller's kept images: list_images, get_image, delete_image.
import { GlmImageError } from "@glm-image/core";
import type { McpServer } from "@modelcontextprotocol/server";
import { defineTool } from "../define-tool.ts";
import type { ImageService } from "../image-service.ts";
import { resourceLink } from "../resource-link.ts";
import {
  deleteOutputSchema,
  keyInputSchema,
  listInputSchema,
  listOutputSchema,
  storedImageSchema,
} from "../schemas.ts";

export const DEFAULT_LIST_LIMIT = 20;

const noSuchImage = (key: string) =>
  new GlmImageError(
    "not_found",
    `No image with key ${JSON.stringify(key)}: list_images shows yours`,
  );

const readOnly = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export function registerStoredImages(server: McpServer, service: ImageService): void {
  defineTool(
    server,
    "list_images",
    {
      title: "List kept images",
      description:
        "Your kept images, newest first, with their permanent URLs and what made them. Pass next_cursor back as cursor for the next page.",
      input: listInputSchema,
      output: listOutputSchema,
      annotations: readOnly,
    },
    async (input, { signal }) => {
      const page = await service.list({
        ...(input.cursor === undefined ? {} : { cursor: input.cursor }),
        limit: input.limit ?? DEFAULT_LIST_LIMIT,
        signal,
      });
      return {
        structured: {
          images: page.images,
          ...(page.nextCursor === undefined ? {} : { next_cursor: page.nextCursor }),
        },
      };
    },
  );

  defineTool(
    server,
    "get_image",
    {
      title: "Get a kept image",
      description: "One of your kept images by its key: its permanent URL and what made it.",
      input: keyInputSchema,
      output: storedImageSchema,
      annotations: readOnly,
    },
    async ({ key }, { signal }) => {
      const image = await service.get(key, { signal });
      if (image === undefined) throw noSuchImage(key);
      return { structured: image, content: [resourceLink(image)] };
    },
  );

  defineTool(
    server,
    "delete_image",
    {
      title: "Delete a kept image",
      description:
        "Removes one of your kept images. Its URL stops working (unless another owner keeps it), and asking for it again pays again.",
      input: keyInputSchema,
      output: deleteOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        // Deleting again changes nothing more (it answers not_found).
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ key }, { signal }) => {
      if (!(await service.delete(key, { signal }))) throw noSuchImage(key);
      return { structured: { key, deleted: true as const } };
    },
  );
}
