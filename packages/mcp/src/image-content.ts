// `include_image`: the image itself as one small content block, or a note saying why not. Images
// are sent as they are kept: decoding and re-encoding a PNG needs a codec this Web-only package
// does not carry, and a converted copy would have to keep the file's metadata (China's labelling
// rules); a face that can make renditions may add them behind its `readImage`.
import { sniffImageType } from "@glm-image/core";
import type { ContentBlock } from "@modelcontextprotocol/server";
import type { ImageService, StoredImage } from "./image-service.ts";

/** Above this, an image is not put in the model's context: about 1.4 MB of base64. */
export const DEFAULT_MAX_IMAGE_BYTES = 1024 * 1024;

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
): Promise<ContentBlock> {
  const tooLarge = (bytes: number) =>
    note(
      `The image is ${mebibytes(bytes)}, more than the ${mebibytes(options.maxBytes)} sent inline, so it is not included: open it from its url.`,
    );
  if (image.bytes > options.maxBytes) return tooLarge(image.bytes);
  const data = await service.readImage(image, { signal: options.signal });
  if (data.length > options.maxBytes) return tooLarge(data.length);
  const type = sniffImageType(data);
  if (type === undefined)
    return note("The kept file is not a PNG, JPEG or WebP image: not included.");
  return { type: "image", data: toBase64(data), mimeType: type.contentType };
}
