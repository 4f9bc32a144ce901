import { GlmImageError, isGlmImageError } from "./errors.ts";
import type { Fetch, HttpAnswer } from "./fetch.ts";
import { withDeadline } from "./http.ts";
import { type ImageType, SNIFF_BYTES, sniffImageType } from "./image-type.ts";

export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;

export interface DownloadOptions {
  /** Default `globalThis.fetch`. */
  fetch?: Fetch;
  signal?: AbortSignal;
  /** Deadline for the whole download, body included. Default 120 s. */
  timeoutMs?: number;
  /** Larger images fail with DOWNLOAD_FAILED. Default 50 MiB. */
  maxBytes?: number;
}

export interface DownloadedImage extends ImageType {
  /** The image bytes, streamed; errors with DOWNLOAD_FAILED if cut short or too large. */
  body: ReadableStream<Uint8Array>;
  /** The announced length, when the server sent one. */
  contentLength: number | undefined;
  /** The Content-Type the server claimed, which may differ from the real one. */
  declaredContentType: string | null;
}

const failed = (message: string, options: { status?: number; cause?: unknown } = {}) =>
  new GlmImageError("DOWNLOAD_FAILED", message, options);

/**
 * Starts downloading an image: checks the status, the announced length and the first bytes (it
 * must really be PNG, JPEG or WebP), then hands back a stream of the whole body that counts what
 * passes through it. Nothing is buffered beyond the first chunk.
 */
export async function downloadImage(
  url: string,
  options: DownloadOptions = {},
): Promise<DownloadedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const { signal, translate } = withDeadline(options);
  const described = (error: unknown) => {
    const translated = translate(error);
    if (isGlmImageError(translated)) return translated;
    const reason = error instanceof Error ? (error.cause ?? error) : error;
    return failed(
      `Image download failed: ${reason instanceof Error ? reason.message : String(reason)}`,
      { cause: error },
    );
  };

  let response: HttpAnswer;
  try {
    response = await (options.fetch ?? fetch)(url, { signal });
  } catch (error) {
    throw described(error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw failed(`Image download failed: HTTP ${response.status}`, { status: response.status });
  }
  const lengthHeader = response.headers.get("content-length");
  const contentLength = lengthHeader === null ? undefined : Number(lengthHeader);
  if (contentLength !== undefined && contentLength > maxBytes) {
    await response.body.cancel();
    throw failed(`Image is ${contentLength} bytes, more than the limit of ${maxBytes}`);
  }

  const reader = response.body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let received = 0;
  try {
    while (head.length < SNIFF_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      head = concat(head, value);
    }
  } catch (error) {
    throw described(error);
  }
  const type = sniffImageType(head);
  if (!type) {
    await reader.cancel().catch(() => {});
    throw failed(
      `The image URL did not answer with an image (declared ${response.headers.get("content-type") ?? "no type"})`,
    );
  }

  const check = (controller: ReadableStreamDefaultController<Uint8Array>, done: boolean) => {
    if (received > maxBytes) {
      controller.error(failed(`Image is larger than the limit of ${maxBytes} bytes`));
      reader.cancel().catch(() => {});
      return false;
    }
    if (done && contentLength !== undefined && received !== contentLength) {
      controller.error(failed(`Image truncated: got ${received} of ${contentLength} bytes`));
      return false;
    }
    return true;
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      received = head.length;
      if (check(controller, false) && head.length > 0) controller.enqueue(head);
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          if (check(controller, true)) controller.close();
          return;
        }
        received += value.byteLength;
        if (check(controller, false)) controller.enqueue(value);
      } catch (error) {
        const cause = described(error);
        controller.error(
          cause.code === "DOWNLOAD_FAILED"
            ? failed(`Image download interrupted after ${received} bytes: ${cause.message}`, {
                cause: error,
              })
            : cause,
        );
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });

  return {
    ...type,
    body,
    contentLength,
    declaredContentType: response.headers.get("content-type"),
  };
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}
