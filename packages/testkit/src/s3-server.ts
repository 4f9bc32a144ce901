// An S3-compatible server on loopback for the end-to-end tests and the bench: s3rver, in its own
// process (`node --openssl-legacy-provider`: its continuation tokens use DES, which OpenSSL 3 keeps
// in the legacy provider). Usage: node --openssl-legacy-provider s3-server.ts PORT DIRECTORY BUCKET
//
// One change makes it faithful to S3 and R2, where a PUT is atomic (an upload that does not
// complete leaves no object): s3rver writes the request body straight into the object's file, so a
// client killed mid-upload would leave a partial object. Here a body is received whole first.
import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";

interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}
interface PutObject {
  content: Buffer | IncomingMessage;
}
interface S3rver {
  store: { putObject(object: PutObject): Promise<unknown> };
  run(): Promise<unknown>;
}
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: S3rverOptions) => S3rver;

const [port, directory, bucket] = process.argv.slice(2);
if (!port || !directory || !bucket) throw new Error("usage: s3-server.ts PORT DIRECTORY BUCKET");
const server = new S3rver({
  port: Number(port),
  address: "127.0.0.1",
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});

const putObject = server.store.putObject.bind(server.store);
server.store.putObject = async (object) => {
  if (Buffer.isBuffer(object.content)) return putObject(object);
  const request = object.content;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (!request.complete) throw new Error("upload interrupted: nothing stored");
  return putObject({ ...object, content: Buffer.concat(chunks) });
};

await server.run();
console.log(`s3rver on 127.0.0.1:${port}, bucket ${bucket}`);
