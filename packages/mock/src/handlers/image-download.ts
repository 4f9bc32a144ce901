// GET or HEAD /files/{id}.png: the image a generation's URL names, sent whole or failing as its
// download scenario says: the URL's own, or the one setDownloads gave every URL.
import { setTimeout as wait } from "node:timers/promises";
import { captionLines } from "../caption.ts";
import { sendNotFound } from "../http-io.ts";
import { type ImageAsked, readImageUrl } from "../image-url.ts";
import { largePng, placeholderPng, tinyJpeg } from "../png.ts";
import type { ImageScenario } from "../scenarios.ts";
import type { MockState } from "../state.ts";
import type { Handler } from "./handler.ts";

export const handleImageDownload: Handler = async (state, request, response, url) => {
  const image = readImageUrl(url);
  const scenario =
    state.downloads === "as-made"
      ? image.scenario
      : state.downloads === "working"
        ? null
        : state.downloads;
  if (scenario === "broken-url") return sendNotFound(response);
  if (scenario === "not-image") {
    response.writeHead(200, { "content-type": "image/png" });
    response.end("<html><body>Access denied</body></html>");
    return;
  }
  let bytes = scenario === "jpeg-as-png" ? tinyJpeg : keptImage(state, image, scenario);
  const headers: Record<string, string | number> = { "content-type": "image/png" };
  if (scenario !== "no-length") headers["content-length"] = bytes.length;
  response.writeHead(200, headers);
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  if (scenario === "truncated") {
    bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
    response.write(bytes, () => response.destroy());
    return;
  }
  if (scenario === "slow-download") {
    const pieces = 20;
    const step = Math.ceil(bytes.length / pieces);
    for (let offset = 0; offset < bytes.length && !response.destroyed; offset += step) {
      response.write(bytes.subarray(offset, offset + step));
      await wait((Number.isNaN(image.value) ? 2000 : image.value) / pieces);
    }
    response.end();
    return;
  }
  response.end(bytes);
};

/** The PNG the URL names: made once, then the same bytes from the mock's few kept images. */
function keptImage(state: MockState, image: ImageAsked, scenario: ImageScenario | null): Buffer {
  const { width, height, seed, key, value } = image;
  const cacheKey = `${width}x${height}:${seed}:${key}:${scenario === "large" ? value : ""}`;
  const bytes =
    state.images.get(cacheKey) ??
    (scenario === "large"
      ? largePng(Number.isNaN(value) ? 40 : value, seed)
      : placeholderPng(
          width,
          height,
          seed,
          captionLines(Buffer.from(seed, "base64url").toString(), {
            key,
            size: `${width}x${height}`,
          }),
        ));
  if (state.images.size > 16) state.images.clear();
  state.images.set(cacheKey, bytes);
  return bytes;
}
