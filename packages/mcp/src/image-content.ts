// `include_image`: the image itself as one small content block; a larger PNG as a smaller copy
// (png-rendition.ts, metadata kept), with a note; otherwise a note saying why there is none.
import { sniffImageType } from "@glm-image/core";
import type { ContentBlock } from "@modelcontextprotocol/server";
import type { ImageService, StoredImage } from "./image-service.ts";
import { downscalePng } from "./png-rendition.ts";

/** Above this, an image is not put in the model's context: about 1.4 MB of base64. */
export const DEFAULT_MAX_IMAGE_BYTES = 1024 * 1024;
/** Larger images are not read to be downscaled (decoding one takes memory and CPU time). */
export const MAX_DOWNSCALED_BYTES = 16 * 1024 * 1024;

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const note = (text: string): ContentBlock => ({ type: "text", text });

/** Base64 with Web APIs only (no Buffer): `btoa` over slices small enough for fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

export async function imageContent(
  service: ImageService,
  image: StoredImage,
  options: { maxBytes: number; signal: AbortSignal },
): Promise<ContentBlock[]> {
  const tooLarge = (bytes: number) => [
    note(
      `The image is ${mebibytes(bytes)}, more than the ${mebibytes(options.maxBytes)} sent inline, so it is not included: open it from its url.`,
    ),
  ];
  if (options.maxBytes <= 0) {
    return [note("This server sends no image inline: open it from its url.")];
  }
  const readable = image.content_type === "image/png" && image.bytes <= MAX_DOWNSCALED_BYTES;
  if (image.bytes > options.maxBytes && !readable) return tooLarge(image.bytes);
  const data = await service.readImage(image, { signal: options.signal });
  const type = sniffImageType(data);
  if (type === undefined)
    return [note("The kept file is not a PNG, JPEG or WebP image: not included.")];
  if (data.length <= options.maxBytes) {
    return [{ type: "image", data: toBase64(data), mimeType: type.contentType }];
  }
  const smaller =
    type.contentType === "image/png" ? await downscalePng(data, options.maxBytes) : undefined;
  if (smaller === undefined) return tooLarge(data.length);
  return [
    note(
      `A smaller copy, ${smaller.width}x${smaller.height} of ${smaller.fromWidth}x${smaller.fromHeight}, to fit the ${mebibytes(options.maxBytes)} sent inline: the full image is at its url.`,
    ),
    { type: "image", data: toBase64(smaller.data), mimeType: "image/png" },
  ];
}
