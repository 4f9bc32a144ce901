import { McpServer } from "@modelcontextprotocol/server";
import { DEFAULT_MAX_IMAGE_BYTES } from "./image-content.ts";
import type { ImageService } from "./image-service.ts";
import { DEFAULT_PROGRESS_INTERVAL_MS } from "./progress.ts";
import { registerReadmeBanner } from "./readme-banner.ts";
import { registerResources } from "./resources.ts";
import { registerEmbedImage } from "./tools/embed-image.ts";
import { registerEstimateCost } from "./tools/estimate-cost.ts";
import { registerGenerateImage } from "./tools/generate-image.ts";
import { registerStoredImages } from "./tools/stored-images.ts";

export interface GlmImageMcpServerOptions {
  /** `serverInfo.version`: the face's own package version. */
  version: string;
  /** One or two sentences about where this face keeps images, added to the server's instructions. */
  instructions?: string;
  /**
   * The largest image `include_image` sends inline (a larger PNG goes as a smaller copy); default
   * 1 MiB; 0 sends none (no image is read or downscaled).
   */
  maxImageBytes?: number;
  /** Progress notifications during a generation at least this often; default 4 s. */
  progressIntervalMs?: number;
}

const INSTRUCTIONS =
  "glm-image makes images from text prompts (ZhiPu GLM-Image) and keeps them at permanent URLs. Every image costs money once: the same request again is free (cached), estimate_cost tells the price first. Answers carry a link, not the picture; ask include_image only to look at it yourself. For text inside an image, quote the exact words and name the layout (the readme_banner prompt shows how).";

/**
 * The MCP server of glm-image over one face's `ImageService`: tools generate_image,
 * estimate_cost, list_images, get_image, delete_image, embed_image; prompt readme_banner;
 * resources glm-image://sizes and glm-image://prices. A fresh server per connection (stdio) or
 * per request (stateless Streamable HTTP); it keeps no state of its own.
 */
export function createGlmImageMcpServer(
  service: ImageService,
  options: GlmImageMcpServerOptions,
): McpServer {
  const server = new McpServer(
    { name: "glm-image", title: "glm-image", version: options.version },
    {
      // The lists never change while a server lives.
      capabilities: {
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      },
      instructions:
        options.instructions === undefined
          ? INSTRUCTIONS
          : `${INSTRUCTIONS} ${options.instructions}`,
    },
  );
  const settings = {
    maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
  };
  registerGenerateImage(server, service, settings);
  registerEstimateCost(server, service);
  registerStoredImages(server, service);
  registerEmbedImage(server, service);
  registerReadmeBanner(server);
  registerResources(server);
  return server;
}
