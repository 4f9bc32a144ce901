import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { describeNetworkFailure, downloadImage } from "@glm-image/core";
import { httpFetch } from "./http-fetch.ts";

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(1000, 1),
]);
let server: Server;
/** Each request /echo saw: its method, the client's port (one per connection), its Connection. */
const seen: Array<{ method: string; port: number; connection: string | undefined }> = [];
let origin: string;

before(async () => {
  server = createServer((request, response) => {
    if (request.url === "/echo") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        seen.push({
          method: request.method ?? "",
          port: request.socket.remotePort ?? 0,
          connection: request.headers.connection,
        });
        response.writeHead(request.method === "POST" ? 201 : 200, {
          "content-type": "application/json",
          "x-request-id": "req-1",
          "set-cookie": ["a=1", "b=2"],
        });
        response.end(
          JSON.stringify({
            body: Buffer.concat(chunks).toString(),
            auth: request.headers.authorization,
          }),
        );
      });
      return;
    }
    if (request.url === "/see-other") {
      response.writeHead(307, { location: "/echo" });
      return response.end();
    }
    if (request.url === "/moved") {
      response.writeHead(302, { location: "/image.png" });
      return response.end();
    }
    if (request.url === "/image.png") {
      response.writeHead(200, { "content-type": "image/png", "content-length": png.length });
      return response.end(png);
    }
    if (request.url === "/hang") return;
    response.writeHead(404).end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe("httpFetch", () => {
  it("follows redirects and serves core's downloadImage", async () => {
    const image = await downloadImage(`${origin}/moved`, { fetch: httpFetch });
    assert.equal(image.contentType, "image/png");
    assert.equal(image.contentLength, png.length);
    assert.equal((await new Response(image.body).arrayBuffer()).byteLength, png.length);
  });

  it("answers the status of a failure", async () => {
    const response = await httpFetch(`${origin}/missing`);
    assert.equal(response.status, 404);
    assert.equal(response.ok, false);
    assert.equal(await new Response(response.body).text(), "no");
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const pending = httpFetch(`${origin}/hang`, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: "AbortError" });
  });
});

describe("httpFetch, as core's API client", () => {
  it("sends a POST's headers and string body, and reads the answer's status and headers", async () => {
    const answer = await httpFetch(`${origin}/echo`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ prompt: "猫" }),
    });
    assert.equal(answer.ok, true);
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get("X-Request-Id"), "req-1");
    assert.equal(answer.headers.get("set-cookie"), "a=1, b=2");
    assert.equal(answer.headers.get("retry-after"), null);
    const body = JSON.parse(await new Response(answer.body).text());
    assert.deepEqual(body, { body: '{"prompt":"猫"}', auth: "Bearer k" });
  });

  it("a POST goes on a connection of its own, closed after it; GETs share a pooled one", async () => {
    seen.length = 0;
    const call = async (method: string) => {
      const answer = await httpFetch(`${origin}/echo`, {
        method,
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      await new Response(answer.body).arrayBuffer();
    };
    await call("GET");
    await call("GET");
    await call("POST");
    await call("GET");
    const [get1, get2, post, get3] = seen;
    assert.equal(get1?.port, get2?.port, "the second GET reuses the first's connection");
    assert.equal(get3?.port, get1?.port, "the GET after the POST still reuses it");
    assert.notEqual(post?.port, get1?.port, "the POST did not ride the pooled connection");
    assert.equal(post?.connection, "close");
  });

  it("a POST does not follow a redirect (it would be sent again); a GET does", async () => {
    const post = await httpFetch(`${origin}/see-other`, { method: "POST", body: "{}" });
    assert.equal(post.status, 307);
    await post.body?.cancel();
    const get = await httpFetch(`${origin}/see-other`);
    assert.equal(get.status, 200);
    await get.body?.cancel();
  });

  it("a refused connection is an error core reads as never sent", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await httpFetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: "{}",
    }).catch((error: unknown) => error);
    assert.deepEqual(describeNetworkFailure(failure).neverSent, true);
  });
});
