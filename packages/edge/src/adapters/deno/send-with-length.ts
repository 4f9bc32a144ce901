import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { nodeReadable, webStream } from "./web-streams.ts";

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Sends a request whose body is a stream of known length, framed with `Content-Length`. S3 and R2
 * refuse a chunked PUT, and Deno's fetch drops a caller's Content-Length on a stream body and
 * sends it chunked (denoland/deno#20274); node:http, in Deno as in Node, sends the header as given.
 * A source stream that fails aborts the request, so the store never completes a partial object.
 */
export function sendWithLength(request: Request, length: number): Promise<Response> {
  const url = new URL(request.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const headers = Object.fromEntries(request.headers);
  headers["content-length"] = String(length);
  return new Promise((resolve, reject) => {
    const outgoing = send(url.href, { method: request.method, headers }, (incoming) =>
      resolve(responseOf(incoming)),
    );
    outgoing.on("error", reject);
    if (!request.body) {
      outgoing.end();
      return;
    }
    nodeReadable(request.body)
      .on("error", (error) => {
        outgoing.destroy(error);
        reject(error);
      })
      .pipe(outgoing);
  });
}

function responseOf(incoming: IncomingMessage): Response {
  const status = incoming.statusCode ?? 502;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const body = NULL_BODY_STATUSES.has(status) ? null : webStream(incoming);
  if (!body) incoming.resume();
  return new Response(body, { status, headers });
}
