import type { GenerationRequest } from "@glm-image/core";
import type * as z from "zod";
import type { storedImageSchema } from "./schemas.ts";

/**
 * An image as a face keeps it: `url` is permanent (the edge's `/images/{key}.{ext}`, or the saved
 * file as a `file://` URI), `key` names it in `get`, `delete` and `readImage`.
 */
export type StoredImage = z.output<typeof storedImageSchema>;

/** What `generate` answers: the image, and whether it was already kept (nothing paid). */
export interface GeneratedImage extends StoredImage {
  cached: boolean;
  /** Content filter findings on an image that was still delivered (levels 2-3). */
  warnings?: string[];
}

export interface ProgressUpdate {
  /** One line for a person: "task submitted", "downloading", "storing". */
  message: string;
}

export interface GenerateOptions {
  /** Aborted when the MCP client cancels the call or goes away. */
  signal: AbortSignal;
  /** Called as the work moves on; the server turns it into progress notifications. */
  onProgress: (update: ProgressUpdate) => void;
}

export interface CallOptions {
  signal: AbortSignal;
}

export interface ImagePage {
  images: StoredImage[];
  /** Pass back as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/**
 * The port each face implements for the MCP server: the CLI over its journal and folder, the edge
 * over its store and coordinators, for the caller it authenticated. Requests arrive validated and
 * normalised (core's `GenerationRequest`). Failures are thrown as core's `GlmImageError` (or any
 * error with a stable string `code`); the server turns them into tool errors.
 */
export interface ImageService {
  /**
   * Generates the image, or answers the one already kept for the same request (`cached: true`).
   * Never pays twice: a call cancelled through `signal` and then retried must pay at most once.
   */
  generate(request: GenerationRequest, options: GenerateOptions): Promise<GeneratedImage>;
  /** Which of these requests are already kept (they would cost nothing); nothing is paid. */
  estimate(
    requests: readonly GenerationRequest[],
    options: CallOptions,
  ): Promise<ReadonlyArray<{ cached: boolean }>>;
  /** The caller's images, newest first. */
  list(options: CallOptions & { cursor?: string; limit: number }): Promise<ImagePage>;
  /** One of the caller's images; undefined when there is none of that key (or not theirs). */
  get(key: string, options: CallOptions): Promise<StoredImage | undefined>;
  /** Removes one of the caller's images; false when there was none of that key. */
  delete(key: string, options: CallOptions): Promise<boolean>;
  /** A signed render URL for the request, generation started ("warmed") so it is ready when seen. */
  embed(request: GenerationRequest, options: CallOptions): Promise<{ url: string }>;
  /** The bytes of a kept image, for `include_image` (asked only for images small enough to send). */
  readImage(image: StoredImage, options: CallOptions): Promise<Uint8Array>;
}
