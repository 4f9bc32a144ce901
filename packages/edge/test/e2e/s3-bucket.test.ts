// The S3 ObjectBucket against s3rver on loopback: R2's meanings over the S3 API.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Bucket } from "../../src/adapters/deno/s3-bucket.ts";
import { listAll, type S3ServerWithBucket, startS3 } from "./s3.ts";

let work: string;
let s3: S3ServerWithBucket;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glm-image-s3-bucket-"));
  s3 = await startS3(join(work, "s3"));
});
afterAll(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

const streamOf = (bytes: Uint8Array<ArrayBuffer>) => new Blob([bytes]).stream();
const bytesOf = async (body: ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(body).arrayBuffer());

describe("s3Bucket", () => {
  it("puts a stream of known length, a stream of unknown length, and bytes; reads them back", async () => {
    const image = new Uint8Array(300_000).map((_, index) => index % 251);
    const known = await s3.bucket.put("test/known", streamOf(image), {
      length: image.length,
      contentType: "image/png",
    });
    const unknown = await s3.bucket.put("test/unknown", streamOf(image), {
      contentType: "image/webp",
    });
    const small = await s3.bucket.put("test/small.json", new TextEncoder().encode("{}"), {
      contentType: "application/json",
    });
    expect([known, unknown, small]).toEqual([
      { size: image.length, contentType: "image/png" },
      { size: image.length, contentType: "image/webp" },
      { size: 2, contentType: "application/json" },
    ]);
    const read = await s3.bucket.get("test/known");
    expect(read && { size: read.size, contentType: read.contentType }).toEqual(known);
    expect(read && (await bytesOf(read.body))).toEqual(image);
    expect(await s3.bucket.head("test/unknown")).toEqual(unknown);
  });

  it("answers null for what is absent, and deletes what is absent without an error", async () => {
    expect(await s3.bucket.get("test/absent")).toBeNull();
    expect(await s3.bucket.head("test/absent")).toBeNull();
    await s3.bucket.delete("test/absent");
    await s3.bucket.put("test/gone", new Uint8Array([1]), { contentType: "image/png" });
    await s3.bucket.delete("test/gone");
    expect(await s3.bucket.head("test/gone")).toBeNull();
  });

  it("lists in key order, a page at a time, following the cursor", async () => {
    const names = ["list/c", "list/a", "list/e", "list/b", "list/d"];
    for (const name of names) {
      await s3.bucket.put(name, new Uint8Array(), { contentType: "application/octet-stream" });
    }
    const first = await s3.bucket.list({ prefix: "list/", limit: 2 });
    expect(first.keys).toEqual(["list/a", "list/b"]);
    expect(first.cursor).toBeTypeOf("string");
    const second = await s3.bucket.list({ prefix: "list/", limit: 2, cursor: first.cursor });
    expect(second.keys).toEqual(["list/c", "list/d"]);
    const last = await s3.bucket.list({ prefix: "list/", limit: 2, cursor: second.cursor });
    expect(last).toEqual({ keys: ["list/e"] });
    expect(await listAll(s3.bucket, "list/")).toEqual([...names].sort());
  });

  it("fails with the operation, the status and S3's code, never the credentials", async () => {
    const wrong = s3Bucket({
      endpoint: s3.origin,
      bucket: "images",
      accessKeyId: "NOT-A-KEY",
      secretAccessKey: "not-the-secret",
      region: "auto",
    });
    const put = await wrong.put("test/x", new Uint8Array([1]), { contentType: "image/png" }).then(
      () => new Error("answered"),
      (error: unknown) => error as Error,
    );
    expect(put.message).toBe("S3 PUT answered 403 InvalidAccessKeyId");
    expect(put.message).not.toContain("not-the-secret");
  });
});
