import { type DownloadedImage, downloadImage, extensionsOf } from "@glm-image/core";
import { httpGet, type ImageTarget, type SavedImage } from "@glm-image/node";

export interface Downloaded extends SavedImage {
  contentType: DownloadedImage["contentType"];
  /** Set when the file's extension does not match the image's real type. */
  warning: string | undefined;
}

/**
 * Downloads the image into a prepared target, streamed, within the command's signal.
 * `nameFor` picks the final file name from the real type (for --out-dir).
 */
export async function downloadInto(
  url: string,
  target: ImageTarget,
  options: { signal: AbortSignal; fetch?: typeof fetch; nameFor?: (extension: string) => string },
): Promise<Downloaded> {
  const image = await downloadImage(url, {
    signal: options.signal,
    timeoutMs: Number.POSITIVE_INFINITY,
    fetch: options.fetch ?? httpGet,
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
