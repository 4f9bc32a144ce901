import { type DownloadedImage, downloadImage, extensionsOf, type Fetch } from "@glm-image/core";
import { httpFetch } from "./http-fetch.ts";
import type { ImageTarget, SavedImage } from "./save-image.ts";

export interface Downloaded extends SavedImage {
  contentType: DownloadedImage["contentType"];
  /** Set when the file's extension does not match the image's real type. */
  warning: string | undefined;
}

/**
 * Downloads the image into a prepared target (see prepareTarget), streamed over node:http, within
 * the caller's signal. `nameFor` picks the final file name from the real type (for --out-dir).
 */
export async function downloadInto(
  url: string,
  target: ImageTarget,
  options: {
    signal?: AbortSignal | undefined;
    fetch?: Fetch | undefined;
    nameFor?: ((extension: string) => string) | undefined;
  } = {},
): Promise<Downloaded> {
  const image = await downloadImage(url, {
    ...(options.signal ? { signal: options.signal, timeoutMs: Number.POSITIVE_INFINITY } : {}),
    fetch: options.fetch ?? httpFetch,
  });
  const saved = await target.write(image.body, options.nameFor?.(image.extension));
  return { ...saved, contentType: image.contentType, warning: extensionWarning(saved.path, image) };
}

function extensionWarning(path: string, image: DownloadedImage): string | undefined {
  if (!path.includes(".") || path.startsWith("/dev/")) return undefined;
  const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension && extensionsOf(image).includes(extension)) return undefined;
  return `The image is ${image.contentType} but ${path} has ${extension ? `extension .${extension}` : "no extension"}; consider .${image.extension}`;
}
