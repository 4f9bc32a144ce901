// The same server, stateless over Streamable HTTP as the edge will serve it: each request meets a
// fresh server, so progress must travel on the request's own response (SSE) and a cancellation
// arrives as the request being aborted.
import type { MockServer } from "@glm-image/mock";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Connected, eras } from "../test/connect.ts";
import { connectOverHttp, type Exchange } from "../test/connect-http.ts";
import type { MemoryImageService } from "../test/memory-image-service.ts";
import { useMockService } from "../test/mock-service.ts";

const freshMockService = useMockService();

describe.each(eras)("stateless Streamable HTTP (%s era)", (era) => {
  let mock: MockServer;
  let service: MemoryImageService;
  let session: Connected & { exchanges: Exchange[] };
  beforeEach(async () => {
    ({ mock, service } = freshMockService());
    session = await connectOverHttp(service, { era, progressIntervalMs: 50 });
  });
  afterEach(() => session.close());

  it("lists the tools and generates, with progress on the call's own response", async () => {
    const { tools } = await session.client.listTools();
    expect(tools).toHaveLength(6);
    const updates: string[] = [];
    const result = (await session.client.callTool(
      { name: "generate_image", arguments: { prompt: "A slow tide [mock:slow=300]" } },
      { onprogress: (progress) => updates.push(progress.message ?? "") },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content[1]).toMatchObject({ type: "resource_link" });
    expect(updates).toContain("Asking ZhiPu");
    expect(mock.generations).toBe(1);
  });

  it("answers bad input as a tool error with its code", async () => {
    const result = (await session.client.callTool({
      name: "generate_image",
      arguments: { prompt: "A cat", size: "12x12" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.parse((result.content[0] as { text: string }).text)).toMatchObject({
      error: { code: "INVALID_SIZE" },
    });
  });

  const hangingCall = async () => {
    const controller = new AbortController();
    const pending = session.client.callTool(
      { name: "generate_image", arguments: { prompt: "Never ready [mock:hang]" } },
      { signal: controller.signal },
    );
    await vi.waitFor(() => expect(service.generateSignals).toHaveLength(1));
    return { controller, pending, signal: service.generateSignals[0] };
  };

  it("passes a dropped connection (the host went away) to the service", async () => {
    const call = await hangingCall();
    session.exchanges.find((exchange) => exchange.method === "tools/call")?.drop();
    await vi.waitFor(() => expect(call.signal?.aborted).toBe(true));
    call.controller.abort();
    await expect(call.pending).rejects.toThrow();
  });

  // A 2025-era client cancels with a notification in another request, which meets another
  // (stateless) server: the generation goes on and is kept, and a retry gets it without paying.
  if (era === "modern") {
    it("passes the client's cancellation to the service", async () => {
      const call = await hangingCall();
      call.controller.abort();
      await expect(call.pending).rejects.toThrow();
      await vi.waitFor(() => expect(call.signal?.aborted).toBe(true));
    });
  }
});
