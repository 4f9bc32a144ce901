// The tenant contract on its own deno serve: its render misses get their own per-client window
// (10 a minute from one address), apart from the main contract's.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, inject } from "vitest";
import { contractSettings } from "../contract-settings.ts";
import { defineTenantTests } from "../tenant-contract.ts";

let service: Service;

beforeAll(async () => {
  service = await startDenoEdge(
    inject("mockBaseUrl"),
    await mkdtemp(join(tmpdir(), "glm-image-deno-tenants-")),
    contractSettings,
  );
});
afterAll(() => service?.stop());

const target = () => ({
  fetch: (path: string, init?: RequestInit) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-one",
  output: () => service.output(),
});
defineTenantTests("deno serve", target);
