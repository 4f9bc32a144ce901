import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { defineContractTests } from "../contract.ts";
import { type Service, startDenoEdge } from "./processes.ts";

let service: Service;

beforeAll(async () => {
  service = await startDenoEdge(
    inject("mockBaseUrl"),
    await mkdtemp(join(tmpdir(), "glm-image-deno-")),
  );
});
afterAll(() => service?.stop());

defineContractTests("deno serve", () => ({
  fetch: (path, init) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-one",
}));
