// The server under test and the SDK's own Client over an in-memory transport pair, served as the
// CLI serves stdio (`serveStdio`, both protocol eras), with every message the server sent recorded.
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { ImageService } from "../src/image-service.ts";
import { createGlmImageMcpServer, type GlmImageMcpServerOptions } from "../src/server.ts";

/** `legacy`: the 2025 `initialize` handshake hosts speak today; `modern`: 2026-07-28. */
export type Era = "legacy" | "modern";
export const eras: readonly Era[] = ["legacy", "modern"];

/** The SDK's Client, speaking the given era. */
export function clientFor(era: Era): Client {
  return new Client(
    { name: "glm-image-test", version: "0.0.0" },
    era === "modern" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
}

export interface Connected {
  client: Client;
  /** Every message the server sent, in order. */
  sent: JSONRPCMessage[];
  close(): Promise<void>;
}

export async function connect(
  service: ImageService,
  options: Partial<GlmImageMcpServerOptions> & { era?: Era } = {},
): Promise<Connected> {
  const { era = "legacy", ...serverOptions } = options;
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const sent: JSONRPCMessage[] = [];
  const send = serverTransport.send.bind(serverTransport);
  serverTransport.send = (message, sendOptions) => {
    sent.push(message);
    return send(message, sendOptions);
  };
  const served = serveStdio(
    () => createGlmImageMcpServer(service, { version: "0.0.0-test", ...serverOptions }),
    { transport: serverTransport },
  );
  const client = clientFor(era);
  await client.connect(clientTransport);
  return {
    client,
    sent,
    async close() {
      await client.close();
      await served.close();
    },
  };
}
