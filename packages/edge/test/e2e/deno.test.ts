import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, inject } from "vitest";
import { defineContractTests, defineStaticPageTests } from "../contract.ts";
import { contractSettings } from "../contract-settings.ts";

let service: Service;

beforeAll(async () => {
  service = await startDenoEdge(
    inject("mockBaseUrl"),
    await mkdtemp(join(tmpdir(), "glm-image-deno-")),
    contractSettings,
  );
});
afterAll(() => service?.stop());

const target = () => ({
  fetch: (path: string, init?: RequestInit) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-one",
});
defineContractTests("deno serve", target);
defineStaticPageTests("deno serve", target);
