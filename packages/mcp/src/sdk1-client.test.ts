// Most hosts today are built on the 1.x SDK's Client: the server must work for it too, and its
// failures must stay tool results there (it checks any structuredContent against outputSchema).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MemoryImageService } from "../test/memory-image-service.ts";
import { useMockService } from "../test/mock-service.ts";
import { createGlmImageMcpServer } from "./server.ts";

const freshMockService = useMockService();

describe("a host on the 1.x SDK's Client", () => {
  let service: MemoryImageService;
  let client: Client;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ service } = freshMockService());
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const served = serveStdio(() => createGlmImageMcpServer(service, { version: "0.0.0-test" }), {
      transport: serverTransport,
    });
    client = new Client({ name: "sdk1-host", version: "0.0.0" });
    await client.connect(clientTransport);
    close = async () => {
      await client.close();
      await served.close();
    };
  });
  afterEach(() => close());

  const call = async (name: string, args: Record<string, unknown>) => {
    // listTools first, as hosts do: it arms the client's outputSchema check.
    await client.listTools();
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  };

  it("generates: structured content that passes its outputSchema check, and a link", async () => {
    const result = await call("generate_image", { prompt: "A kite" });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ cached: false, model: "glm-image" });
    expect(result.content.map((block) => block.type)).toEqual(["text", "resource_link"]);
  });

  it.each([
    ["generate_image", { prompt: "A kite", size: "1x1" }, "INVALID_SIZE"],
    ["get_image", { key: "missing" }, "not_found"],
  ])(
    "gets %s's failure as a tool result with its code, not a protocol error",
    async (name, args, code) => {
      const result = await call(name, args);
      expect(result.isError).toBe(true);
      const text = (result.content[0] as { text: string }).text;
      expect(JSON.parse(text)).toMatchObject({ error: { code } });
    },
  );
});
