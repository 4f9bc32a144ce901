// The MCP face on deno serve (S3-less: files and KV as `deno task serve` runs it).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, inject } from "vitest";
import { contractSettings } from "../contract-settings.ts";
import { defineMcpTests } from "../mcp-contract.ts";

let service: Service;

beforeAll(async () => {
  service = await startDenoEdge(
    inject("mockBaseUrl"),
    await mkdtemp(join(tmpdir(), "glm-image-deno-mcp-")),
    contractSettings,
  );
});
afterAll(() => service?.stop());

defineMcpTests("deno serve", () => ({
  fetch: (path: string, init?: RequestInit) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-alice",
}));
