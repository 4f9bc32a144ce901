// Reading a request's body and writing JSON answers: the HTTP every handler speaks.
import type { IncomingMessage, ServerResponse } from "node:http";

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The body read as JSON, whatever its shape; undefined when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The headers of a JSON answer whose whole text is `text`. */
export const jsonHeaders = (text: string) => ({
  "content-type": "application/json; charset=utf-8",
  "content-length": Buffer.byteLength(text),
});

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...jsonHeaders(text), ...headers });
  response.end(text);
}

/** An error as ZhiPu answers one: `{"error": {code, message}}`. */
export const sendError = (
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
) => sendJson(response, status, { error: { code, message } }, headers);

export const sendNotFound = (response: ServerResponse) =>
  sendError(response, 404, "404", "Not Found");
