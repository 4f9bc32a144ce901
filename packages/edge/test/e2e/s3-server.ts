// An S3-compatible server on loopback for the end-to-end tests and the bench: s3rver, in its own
// process (`node --openssl-legacy-provider`: its continuation tokens use DES, which OpenSSL 3 keeps
// in the legacy provider). Usage: node --openssl-legacy-provider s3-server.ts PORT DIRECTORY BUCKET
import { createRequire } from "node:module";

interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}
const S3rver = createRequire(import.meta.url)("s3rver") as new (
  options: S3rverOptions,
) => { run(): Promise<unknown> };

const [port, directory, bucket] = process.argv.slice(2);
if (!port || !directory || !bucket) throw new Error("usage: s3-server.ts PORT DIRECTORY BUCKET");
await new S3rver({
  port: Number(port),
  address: "127.0.0.1",
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
}).run();
console.log(`s3rver on 127.0.0.1:${port}, bucket ${bucket}`);
