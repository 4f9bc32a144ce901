import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { HttpAnswer } from "@glm-image/core";

const MAX_REDIRECTS = 5;

/**
 * Core's `fetch` over node:http and node:https, for the Node faces (the CLI, the action):
 * - it spares a command the load of Node's own fetch (undici: about 20 ms at every start, and as
 *   much again for its first request; BENCHMARKS.md, figure 1);
 * - the body is handed over as it is read, where undici's fetch reads ahead and holds megabytes
 *   of a large image (figure 2);
 * - a request that is not a GET (the paid POST) goes on a connection of its own, closed after its
 *   answer: it never rides a pooled connection the server may have dropped, where a reset would
 *   leave it unknown whether it was paid for. Only a GET follows redirects.
 * It takes what core sends: a method, a record of headers, a string body or none, a signal.
 */
export async function httpFetch(input: string | URL, init: RequestInit = {}): Promise<HttpAnswer> {
  const method = (init.method ?? "GET").toUpperCase();
  const outgoing = { method, headers: headersOf(init.headers), body: bodyOf(init.body) };
  let url = new URL(String(input));
  for (let redirects = 0; ; redirects++) {
    const answer = await send(url, outgoing, init.signal ?? undefined);
    const status = answer.statusCode ?? 0;
    const location = answer.headers.location;
    if (
      method === "GET" &&
      status >= 300 &&
      status < 400 &&
      location &&
      redirects < MAX_REDIRECTS
    ) {
      answer.resume();
      url = new URL(location, url);
      continue;
    }
    return answerOf(answer, method);
  }
}

/** @deprecated The same as `httpFetch`, by its earlier name. */
export const httpGet = httpFetch;

interface Outgoing {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function headersOf(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  // A Headers, recognised without touching the global (which would load undici).
  if (typeof (headers as Headers).forEach === "function") {
    const record: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => {
      record[name] = value;
    });
    return record;
  }
  return { ...(headers as Record<string, string>) };
}

function bodyOf(body: RequestInit["body"]): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== "string") throw new TypeError("httpFetch takes a string body");
  return body;
}

function send(url: URL, outgoing: Outgoing, signal: AbortSignal | undefined) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const secure = url.protocol === "https:";
    const headers = { ...outgoing.headers };
    if (outgoing.body !== undefined)
      headers["content-length"] = String(Buffer.byteLength(outgoing.body));
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: outgoing.method,
        headers,
        // A GET may reuse a pooled connection; anything else gets one of its own.
        ...(outgoing.method === "GET" ? {} : { agent: false }),
        ...(signal ? { signal } : {}),
      },
      resolve,
    );
    request.on("error", reject);
    request.end(outgoing.body);
  });
}

function answerOf(answer: IncomingMessage, method: string): HttpAnswer {
  const status = answer.statusCode ?? 0;
  const empty = status === 204 || status === 205 || status === 304 || method === "HEAD";
  if (empty) answer.resume();
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get(name) {
        const value = answer.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(", ") : value;
      },
    },
    body: empty ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>),
  };
}
