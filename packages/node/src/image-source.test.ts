import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { parseGenerationRequest } from "@glm-image/core";
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
        maxRetries: 0,
        timeoutMs: 300,
      });
      await assert.rejects(source.start(parseGenerationRequest({ prompt: "x" })), {
        code: "TIMEOUT",
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
