import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { downloadImage } from "./download.ts";
import { GlmImageError } from "./errors.ts";
import { generateImage } from "./generate.ts";
import { parseGenerationRequest } from "./schemas.ts";
import { failure } from "./test-support/failure.ts";

let mock: MockServer;
before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());
beforeEach(() => mock.reset());

async function imageUrl(prompt: string): Promise<string> {
  return (
    await generateImage(parseGenerationRequest({ prompt }), {
      apiKey: mock.apiKey,
      baseUrl: mock.baseUrl,
    })
  ).url;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function downloadFailure(promise: Promise<unknown>): Promise<GlmImageError> {
  const error = await failure(promise);
  assert.equal(error.code, "DOWNLOAD_FAILED");
  return error;
}

describe("downloadImage", () => {
  it("streams a whole PNG of the requested size", async () => {
    const image = await downloadImage(await imageUrl("a cat"));
    assert.equal(image.contentType, "image/png");
    assert.equal(image.extension, "png");
    const bytes = await readAll(image.body);
    assert.equal(bytes.length, image.contentLength);
    const view = new DataView(bytes.buffer);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [1280, 1280]);
  });

  it("takes the type from the bytes, not the label", async () => {
    const image = await downloadImage(await imageUrl("[mock:jpeg-as-png] x"));
    assert.equal(image.declaredContentType, "image/png");
    assert.equal(image.contentType, "image/jpeg");
    assert.equal(image.extension, "jpg");
    assert.ok((await readAll(image.body)).length > 0);
  });

  it("fails on a broken URL with its status", async () => {
    const error = await downloadFailure(downloadImage(await imageUrl("[mock:broken-url] x")));
    assert.equal(error.status, 404);
  });

  it("fails on a body that is not an image", async () => {
    const error = await downloadFailure(downloadImage(await imageUrl("[mock:not-image] x")));
    assert.match(error.message, /did not answer with an image/);
  });

  it("fails on a truncated body while streaming", async () => {
    const image = await downloadImage(await imageUrl("[mock:truncated] x"));
    const error = await downloadFailure(readAll(image.body));
    assert.match(error.message, /truncated|interrupted/);
  });

  it("fails on an image above the byte cap, before reading it", async () => {
    const error = await downloadFailure(downloadImage(await imageUrl("a cat"), { maxBytes: 1000 }));
    assert.match(error.message, /limit of 1000/);
  });

  it("enforces the cap while streaming when no length is announced", async () => {
    const image = await downloadImage(await imageUrl("[mock:no-length] a cat"), { maxBytes: 1000 });
    assert.equal(image.contentLength, undefined);
    await downloadFailure(readAll(image.body));
  });

  it("reads a body of unannounced length whole", async () => {
    const image = await downloadImage(await imageUrl("[mock:no-length] a cat"));
    const bytes = await readAll(image.body);
    assert.equal(new DataView(bytes.buffer).getUint32(16), 1280);
  });

  it("fails at the deadline of a slow download", async () => {
    const url = await imageUrl("[mock:slow-download=2000] a cat");
    const error = await (async () => {
      try {
        const image = await downloadImage(url, { timeoutMs: 200 });
        await readAll(image.body);
      } catch (error) {
        return error;
      }
    })();
    assert.ok(error instanceof GlmImageError);
    assert.equal(error.code, "TIMEOUT");
  });

  it("streams a large image without holding it", async () => {
    const image = await downloadImage(await imageUrl("[mock:large] a cat"));
    let total = 0;
    let largest = 0;
    for await (const chunk of image.body) {
      total += chunk.byteLength;
      largest = Math.max(largest, chunk.byteLength);
    }
    assert.equal(total, image.contentLength);
    assert.ok(total > 30 * 1024 * 1024, `got ${total} bytes`);
    assert.ok(largest < 4 * 1024 * 1024, `largest chunk ${largest}`);
  });
});
