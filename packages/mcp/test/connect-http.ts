// The server as the edge serves it: stateless Streamable HTTP (`createMcpHandler`, a fresh server
// per request), called in-process through the SDK's own Client and its HTTP transport.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import type { ImageService } from "../src/image-service.ts";
import { createGlmImageMcpServer, type GlmImageMcpServerOptions } from "../src/server.ts";
import { type Connected, clientFor, type Era } from "./connect.ts";

/** One HTTP request the client made, and a way to drop its connection as a host going away would. */
export interface Exchange {
  method: string | undefined;
  drop(): void;
}

export async function connectOverHttp(
  service: ImageService,
  options: Partial<GlmImageMcpServerOptions> & { era?: Era } = {},
): Promise<Connected & { exchanges: Exchange[] }> {
  const { era = "legacy", ...serverOptions } = options;
  const handler = createMcpHandler(() =>
    createGlmImageMcpServer(service, { version: "0.0.0-test", ...serverOptions }),
  );
  const exchanges: Exchange[] = [];
  const transport = new StreamableHTTPClientTransport(new URL("http://edge.test/mcp"), {
    fetch: async (url, init) => {
      const connection = new AbortController();
      const signals = [connection.signal, init?.signal].filter((signal) => signal != null);
      const request = new Request(url, { ...init, signal: AbortSignal.any(signals) });
      const body = request.method === "POST" ? await request.clone().json() : undefined;
      exchanges.push({ method: body?.method, drop: () => connection.abort() });
      return handler.fetch(request);
    },
  });
  const client = clientFor(era);
  await client.connect(transport);
  return {
    client,
    sent: [],
    exchanges,
    async close() {
      await client.close();
      await handler.close();
    },
  };
}
