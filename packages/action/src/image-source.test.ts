import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseGenerationRequest } from "@glm-image/core";
import { describe, expect, it } from "vitest";
import { edgeSource } from "./image-source.ts";

describe("edgeSource", () => {
  it("has a deadline: an edge that never answers is a TIMEOUT", async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const source = edgeSource({
        edgeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: "token",
        timeoutMs: 300,
      });
      await expect(source(parseGenerationRequest({ prompt: "x" }))).rejects.toMatchObject({
        code: "TIMEOUT",
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
