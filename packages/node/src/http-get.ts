import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

const MAX_REDIRECTS = 5;

/**
 * A `fetch` for downloading images (GET only, redirects followed), over node:http and
 * node:https. Passed to core's `downloadImage({fetch})`: Node's HTTP client hands the body over
 * as it is read, where undici's fetch reads ahead and holds megabytes of a large image.
 */
export async function httpGet(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  let url = new URL(input instanceof Request ? input.url : String(input));
  for (let redirects = 0; ; redirects++) {
    const answer = await get(url, init.signal ?? undefined);
    const status = answer.statusCode ?? 0;
    const location = answer.headers.location;
    if (status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
      answer.resume();
      url = new URL(location, url);
      continue;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const empty = status === 204 || status === 205 || status === 304;
    if (empty) answer.resume();
    return new Response(empty ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>), {
      status,
      statusText: answer.statusMessage ?? "",
      headers,
    });
  }
}

function get(url: URL, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(url, { method: "GET", ...(signal ? { signal } : {}) }, resolve);
    request.on("error", reject);
    request.end();
  });
}
