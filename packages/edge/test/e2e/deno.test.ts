import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { defineContractTests } from "../contract.ts";
import { freePort, type Service, settings, startService } from "./processes.ts";

let service: Service;

beforeAll(async () => {
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), "glm-image-deno-"));
  service = await startService(
    "deno",
    [
      "serve",
      "--quiet",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "packages/edge/src/deno.ts",
    ],
    { ...settings(inject("mockBaseUrl")), DATA_DIR: data },
    port,
  );
});
afterAll(() => service?.stop());

defineContractTests("deno serve", () => ({
  fetch: (path, init) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-one",
}));
