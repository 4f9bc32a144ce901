import type {
  ImageModelV4,
  ImageModelV4CallOptions,
  ImageModelV4Result,
  SharedV4Warning,
} from "@ai-sdk/provider";
import {
  downloadImage,
  type GenerationRequest,
  type GenerationResult,
  generateImage,
  generateImagesThroughEdge,
  type ModelName,
} from "@glm-image/core";
import { requestOf } from "./call-options.ts";
import { type GlmImageProviderSettings, resolveConnection, usesEdge } from "./connection.ts";
import { toAiSdkError } from "./errors.ts";
import { recordingFetch } from "./transport.ts";

/** The models of ZhiPu's image API; any other id is refused, before any call, with the list. */
export type GlmImageModelId = ModelName | (string & {});

/** ZhiPu's image URLs expire after 30 days; an edge's are permanent. */
const UPSTREAM_URL_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** `providerMetadata.glmImage.images[i]`: what became of each image. */
export type GlmImageImageMetadata = {
  /** Where the image lives: the edge's permanent URL, or ZhiPu's, which expires. */
  url: string;
  /** `edge`: kept by a glm-image edge for good; `zhipu`: ZhiPu's URL, valid 30 days. */
  source: "edge" | "zhipu";
  /** When a ZhiPu URL stops working (ISO 8601); absent for an edge's URL. */
  expiresAt?: string;
  model: string;
  size: string;
  quality: string;
  watermark: boolean;
  /** Unix seconds, as ZhiPu reports it. */
  created: number;
  /** ZhiPu's content filter findings (`level` 0 most severe to 3 minor); `[]` when none. */
  contentFilter: Array<{ role: string; level: number }>;
};

const endpointOf = (connection: ReturnType<typeof resolveConnection>) =>
  connection.kind === "edge"
    ? `${connection.edgeUrl.replace(/\/+$/, "")}/v1/images/generations`
    : `${connection.baseUrl.replace(/\/+$/, "")}/images/generations`;

/**
 * One of ZhiPu's image models as an AI SDK image model (specification v4). Direct calls make
 * one image each (`maxImagesPerCall` 1: the SDK splits `n`); through an edge one call asks for
 * all `n`, which the edge keeps apart as variants of the request (at most 4).
 */
export class GlmImageModel implements ImageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "glmImage.image";
  readonly supportsFileInputs = false;
  readonly supportsMaskInputs = false;

  readonly modelId: GlmImageModelId;
  readonly #settings: GlmImageProviderSettings;

  constructor(modelId: GlmImageModelId, settings: GlmImageProviderSettings) {
    this.modelId = modelId;
    this.#settings = settings;
  }

  get maxImagesPerCall(): number {
    // Through an edge, never split: each part would ask for the same variants of the request
    // again and get the same images. The edge serves n in one call (1 to 4 today) and refuses
    // more with a 400 that says so. (Not Infinity: the SDK divides n by it.)
    return usesEdge(this.#settings) ? Number.MAX_SAFE_INTEGER : 1;
  }

  async doGenerate(options: ImageModelV4CallOptions): Promise<ImageModelV4Result> {
    const timestamp = new Date();
    const { request, warnings } = requestOf(this.modelId, options);
    const connection = resolveConnection(this.#settings);
    const url = endpointOf(connection);
    const transport = recordingFetch(this.#settings.fetch, {
      ...this.#settings.headers,
      ...options.headers,
    });
    const limits = {
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
      ...(this.#settings.timeoutMs === undefined ? {} : { timeoutMs: this.#settings.timeoutMs }),
    };
    // The AI SDK retries what is retryable (its maxRetries, default 2): none here on top.
    const call = { fetch: transport.fetch, maxRetries: 0, ...limits };
    // What this call has paid for so far: named in any error that follows, never lost in silence.
    const results: GenerationResult[] = [];
    const context = (at = url) => ({
      url: at,
      requestBodyValues: request,
      paidImageUrls: results.map((result) => result.url),
    });
    try {
      if (connection.kind === "edge") {
        const edge = { edgeUrl: connection.edgeUrl, token: connection.token, ...call };
        results.push(...(await generateImagesThroughEdge(request, options.n, edge)));
      } else {
        const client = { apiKey: connection.apiKey, baseUrl: connection.baseUrl, ...call };
        // One at a time: ZhiPu limits concurrent requests per account.
        for (let index = 0; index < options.n; index++) {
          results.push(await generateImage(request, client));
        }
      }
    } catch (error) {
      throw toAiSdkError(error, context());
    }

    const images = await Promise.all(
      results.map(async (result) => {
        try {
          const image = await downloadImage(result.url, {
            ...(this.#settings.fetch ? { fetch: this.#settings.fetch } : {}),
            ...limits,
          });
          return new Uint8Array(await new Response(image.body).arrayBuffer());
        } catch (error) {
          throw toAiSdkError(error, context(result.url));
        }
      }),
    );

    return {
      images,
      warnings: [...warnings, ...filterWarnings(results)],
      response: { timestamp, modelId: request.model, headers: transport.lastHeaders() },
      providerMetadata: {
        glmImage: { images: results.map((result) => metadataOf(result, connection.kind)) },
      },
    };
  }
}

/** Content filter findings on delivered images, each said once (an edge reports them per call). */
function filterWarnings(results: GenerationResult[]): SharedV4Warning[] {
  const messages = new Set(results.flatMap((result) => result.warnings));
  return [...messages].map((message) => ({ type: "other", message }));
}

function metadataOf(result: GenerationResult, source: "edge" | "zhipu"): GlmImageImageMetadata {
  const request: GenerationRequest = result.request;
  return {
    url: result.url,
    source,
    ...(source === "zhipu"
      ? { expiresAt: new Date(result.created * 1000 + UPSTREAM_URL_LIFETIME_MS).toISOString() }
      : {}),
    model: request.model,
    size: request.size,
    quality: request.quality,
    watermark: request.watermark_enabled,
    created: result.created,
    contentFilter: result.contentFilter.map(({ role, level }) => ({ role, level })),
  };
}
