// A real, small ImageService for the tests: it generates through core against the mock ZhiPu
// server and keeps the images in a Map, keyed by core's content key. No face's journal, store or
// tenants: those are the faces' (and their tests').
import {
  contentKey,
  downloadImage,
  type GenerationRequest,
  generateImage,
  signedRenderUrl,
} from "@glm-image/core";
import type {
  CallOptions,
  GeneratedImage,
  GenerateOptions,
  ImagePage,
  ImageService,
  StoredImage,
} from "../src/image-service.ts";

export interface MemoryImageServiceOptions {
  baseUrl: string;
  apiKey: string;
  /** Where the kept images would be served from. */
  origin?: string;
  signingSecret?: string;
}

export class MemoryImageService implements ImageService {
  readonly #kept = new Map<string, { image: StoredImage; data: Uint8Array }>();
  readonly #options: Required<MemoryImageServiceOptions>;
  /** The signal each generate call was given, in order. */
  readonly generateSignals: AbortSignal[] = [];

  constructor(options: MemoryImageServiceOptions) {
    this.#options = {
      origin: "https://images.example.com",
      signingSecret: "test-signing-secret",
      ...options,
    };
  }

  async generate(request: GenerationRequest, options: GenerateOptions): Promise<GeneratedImage> {
    this.generateSignals.push(options.signal);
    const key = await contentKey(request);
    const kept = this.#kept.get(key);
    if (kept) return { ...kept.image, cached: true };
    options.onProgress({ message: "Asking ZhiPu" });
    const result = await generateImage(request, {
      apiKey: this.#options.apiKey,
      baseUrl: this.#options.baseUrl,
      signal: options.signal,
    });
    options.onProgress({ message: "Downloading" });
    const download = await downloadImage(result.url, { signal: options.signal });
    const data = new Uint8Array(await new Response(download.body).arrayBuffer());
    const image: StoredImage = {
      key,
      url: `${this.#options.origin}/images/${key}.${download.extension}`,
      prompt: request.prompt,
      model: request.model,
      size: request.size,
      quality: request.quality,
      created: result.created,
      content_type: download.contentType,
      bytes: data.length,
      content_filter: result.contentFilter,
    };
    this.#kept.set(key, { image, data });
    return { ...image, cached: false, warnings: result.warnings };
  }

  async estimate(requests: readonly GenerationRequest[]) {
    const keys = await Promise.all(requests.map((request) => contentKey(request)));
    return keys.map((key) => ({ cached: this.#kept.has(key) }));
  }

  async list(options: CallOptions & { cursor?: string; limit: number }): Promise<ImagePage> {
    const newestFirst = [...this.#kept.values()].reverse().map((entry) => entry.image);
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const end = start + options.limit;
    return {
      images: newestFirst.slice(start, end),
      ...(end < newestFirst.length ? { nextCursor: String(end) } : {}),
    };
  }

  async get(key: string): Promise<StoredImage | undefined> {
    return this.#kept.get(key)?.image;
  }

  async delete(key: string): Promise<boolean> {
    return this.#kept.delete(key);
  }

  async embed(request: GenerationRequest): Promise<{ url: string }> {
    const params = {
      prompt: request.prompt,
      model: request.model,
      size: request.size,
      quality: request.quality,
    };
    return {
      url: await signedRenderUrl(this.#options.origin, params, this.#options.signingSecret),
    };
  }

  async readImage(image: StoredImage): Promise<Uint8Array> {
    const kept = this.#kept.get(image.key);
    if (!kept) throw new Error(`No image ${image.key}`);
    return kept.data;
  }
}
