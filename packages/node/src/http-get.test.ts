import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { downloadImage } from "@glm-image/core";
import { httpGet } from "./http-get.ts";

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(1000, 1),
]);
let server: Server;
let origin: string;

before(async () => {
  server = createServer((request, response) => {
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

describe("httpGet", () => {
  it("follows redirects and serves core's downloadImage", async () => {
    const image = await downloadImage(`${origin}/moved`, { fetch: httpGet });
    assert.equal(image.contentType, "image/png");
    assert.equal(image.contentLength, png.length);
    assert.equal((await new Response(image.body).arrayBuffer()).byteLength, png.length);
  });

  it("answers the status of a failure", async () => {
    const response = await httpGet(`${origin}/missing`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), "no");
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const pending = httpGet(`${origin}/hang`, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: "AbortError" });
  });
});
