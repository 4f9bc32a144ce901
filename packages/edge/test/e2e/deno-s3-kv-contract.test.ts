// The edge's HTTP contract against `deno serve` as a serverless host runs it: S3 storage (s3rver on
// loopback) and coordination in a Deno KV file.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, inject } from "vitest";
import { defineContractTests } from "../contract.ts";
import { contractSettings } from "../contract-settings.ts";
import { defineTenantTests } from "../tenant-contract.ts";
import { type S3ServerWithBucket, startS3 } from "./s3.ts";

let work: string;
let s3: S3ServerWithBucket;
let service: Service;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glm-image-deno-contract-"));
  s3 = await startS3(join(work, "s3"));
  service = await startDenoEdge(inject("mockBaseUrl"), join(work, "data"), {
    KV_PATH: join(work, "kv.sqlite3"),
    // As behind a proxy: the contract's viewers of their own (cf-connecting-ip) each get their
    // own window of /render misses, as on Workers.
    CLIENT_IP_HEADER: "cf-connecting-ip",
    ...s3.settings,
    ...contractSettings,
  });
});
afterAll(async () => {
  await service?.stop();
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

const target = () => ({
  fetch: (path: string, init?: RequestInit) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-one",
  output: () => service.output(),
});
defineContractTests("deno serve, S3 + Deno KV", target);
defineTenantTests("deno serve, S3 + Deno KV", target);
