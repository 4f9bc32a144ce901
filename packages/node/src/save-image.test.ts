import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { GlmImageError } from "@glm-image/core";
import { wholeImageType } from "./image-file.ts";
import { prepareTarget, saveImage } from "./save-image.ts";

const streamOf = (...chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

const failingStream = (first: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
      controller.error(new Error("connection reset"));
    },
  });

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(20, 7),
  Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
]);

async function rejection(promise: Promise<unknown>): Promise<GlmImageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GlmImageError);
    return error;
  }
  assert.fail("expected a failure");
}

describe("prepareTarget", () => {
  it("makes the folders and a temporary file; write renames it into place", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-node-"));
    const target = await prepareTarget(join(folder, "a/b/image.png"));
    assert.equal(target.kind, "file");
    assert.equal((await readdir(join(folder, "a/b"))).length, 1);
    const saved = await target.write(streamOf(png.subarray(0, 10), png.subarray(10)));
    assert.equal(saved.bytes, png.length);
    assert.deepEqual(await readFile(join(folder, "a/b/image.png")), png);
    assert.deepEqual(await readdir(join(folder, "a/b")), ["image.png"]);
  });

  it("refuses a folder, naming it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-node-"));
    const error = await rejection(prepareTarget(folder));
    assert.equal(error.code, "DOWNLOAD_FAILED");
    assert.equal(JSON.parse(JSON.stringify(error)).reason, "INVALID_PATH");
    assert.match(error.message, new RegExp(folder));
  });

  it("refuses a folder that cannot be made, at once (no endless mkdir under /proc)", async () => {
    const error = await rejection(prepareTarget("/proc/nope/x.png"));
    assert.equal(error.code, "DOWNLOAD_FAILED");
    assert.equal(JSON.parse(JSON.stringify(error)).reason, "INVALID_PATH");
    assert.match(error.message, /\/proc\/nope/);
  });

  it("writes a device in place and never replaces it", async () => {
    const target = await prepareTarget("/dev/null");
    assert.equal(target.kind, "in-place");
    assert.equal((await target.write(streamOf(png))).bytes, png.length);
    assert.ok((await stat("/dev/null")).isCharacterDevice());
  });

  it("a failed download leaves the old file and no temporary file", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-node-"));
    const path = join(folder, "image.png");
    await writeFile(path, "old");
    const error = await rejection(saveImage(failingStream(png.subarray(0, 5)), path));
    assert.equal(error.code, "DOWNLOAD_FAILED");
    assert.deepEqual(await readdir(folder), ["image.png"]);
    assert.equal(await readFile(path, "utf8"), "old");
  });
});

describe("wholeImageType", () => {
  it("knows a whole PNG, and not a cut one", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-node-"));
    await writeFile(join(folder, "whole.png"), png);
    await writeFile(join(folder, "cut.png"), png.subarray(0, 30));
    assert.equal((await wholeImageType(join(folder, "whole.png")))?.extension, "png");
    assert.equal(await wholeImageType(join(folder, "cut.png")), undefined);
    assert.equal(await wholeImageType(join(folder, "missing.png")), undefined);
  });
});
