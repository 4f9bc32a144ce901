import { type S3Server, startS3Server } from "@glm-image/testkit";
import { s3Bucket } from "../../src/adapters/deno/s3-bucket.ts";
import type { ObjectBucket } from "../../src/domain/ports.ts";

export interface S3ServerWithBucket extends S3Server {
  /** The same bucket, for tests to look into. */
  bucket: ObjectBucket;
}

/** The testkit's s3rver (on `port` to restart it), with the edge's own S3 client on its bucket. */
export async function startS3(directory: string, port?: number): Promise<S3ServerWithBucket> {
  const server = await startS3Server(directory, port);
  const bucket = s3Bucket({
    endpoint: server.settings.S3_ENDPOINT,
    bucket: server.settings.S3_BUCKET,
    accessKeyId: server.settings.S3_ACCESS_KEY_ID,
    secretAccessKey: server.settings.S3_SECRET_ACCESS_KEY,
    region: server.settings.S3_REGION,
  });
  return { ...server, bucket };
}

/** Every key in a bucket under `prefix`, following the list's cursor. */
export async function listAll(bucket: ObjectBucket, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    keys.push(...page.keys);
    cursor = page.cursor;
  } while (cursor);
  return keys;
}
