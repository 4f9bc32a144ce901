// The MCP face's contract over Streamable HTTP, stateless, for every edge runner (deno serve,
// wrangler dev): the SDK's own Client, through the mock upstream. The bearer token is the caller:
// the API's budgets and ownership hold for its tools too.
import { MCP_TOOL_NAMES } from "@glm-image/testkit/mcp-tools";
import { paidGenerations } from "@glm-image/testkit/mock-state";
import {
  type CallToolResult,
  Client,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { type ContractTarget, freshPrompt } from "./contract.ts";

const structured = (result: CallToolResult) => result.structuredContent as Record<string, unknown>;

export function defineMcpTests(name: string, target: () => ContractTarget): void {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: "glm-image-edge-test", version: "0.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${target().origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  describe(`${name}: /mcp`, () => {
    it("lists the tools, and generates a kept image: a resource_link whose URL serves the PNG, with progress", async () => {
      const client = await connect("token-alice");
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([...MCP_TOOL_NAMES]);
      const before = await paidGenerations(target().mockOrigin);
      const progress: string[] = [];
      const prompt = freshPrompt("an MCP lighthouse");
      const result = (await client.callTool(
        { name: "generate_image", arguments: { prompt } },
        { onprogress: (update) => progress.push(update.message ?? "") },
      )) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      const link = result.content.find((block) => block.type === "resource_link");
      expect(link).toMatchObject({ mimeType: "image/png" });
      const uri = (link as { uri: string }).uri;
      expect(uri).toMatch(new RegExp(`^${target().origin}/images/[0-9a-f]{64}\\.png$`));
      const image = await fetch(uri);
      expect(image.status).toBe(200);
      expect(new Uint8Array(await image.arrayBuffer()).subarray(1, 4)).toEqual(
        new TextEncoder().encode("PNG"),
      );
      expect(structured(result)).toMatchObject({ cached: false, url: uri });
      expect(result.content.some((block) => block.type === "image")).toBe(false);

      // Called again (a host that retries): kept, nothing more paid.
      const again = (await client.callTool({
        name: "generate_image",
        arguments: { prompt },
      })) as CallToolResult;
      expect(structured(again)).toMatchObject({ cached: true, url: uri });
      expect(await paidGenerations(target().mockOrigin)).toBe(before + 1);
    });

    it("a call the host cancels, made again, pays once", async () => {
      const client = await connect("token-alice");
      const before = await paidGenerations(target().mockOrigin);
      const prompt = freshPrompt("[mock:slow-task=3000] an MCP clock tower");
      const controller = new AbortController();
      const cancelled = client.callTool(
        { name: "generate_image", arguments: { prompt } },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 1000);
      await expect(cancelled).rejects.toThrow();
      const again = (await client.callTool({
        name: "generate_image",
        arguments: { prompt },
      })) as CallToolResult;
      expect(again.isError, JSON.stringify(again.content)).toBeFalsy();
      expect(await paidGenerations(target().mockOrigin)).toBe(before + 1);
    });

    it("answers bad input as a tool error with its code, nothing paid", async () => {
      const client = await connect("token-alice");
      const before = await paidGenerations(target().mockOrigin);
      const result = (await client.callTool({
        name: "generate_image",
        arguments: { prompt: "a cat", size: "12x12" },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain("INVALID_SIZE");
      expect(await paidGenerations(target().mockOrigin)).toBe(before);
    });

    it("lists only the caller's images: bob does not see alice's", async () => {
      const alice = await connect("token-alice");
      const made = (await alice.callTool({
        name: "generate_image",
        arguments: { prompt: freshPrompt("alice's own tide") },
      })) as CallToolResult;
      const key = structured(made).key as string;
      const keysOf = async (client: Client) => {
        const listed = (await client.callTool({
          name: "list_images",
          arguments: {},
        })) as CallToolResult;
        return JSON.stringify(listed.structuredContent);
      };
      expect(await keysOf(alice)).toContain(key);
      const bob = await connect("token-bob");
      expect(await keysOf(bob)).not.toContain(key);
      const got = (await bob.callTool({
        name: "get_image",
        arguments: { key },
      })) as CallToolResult;
      expect(got.isError).toBe(true);
    });

    it("refuses a wrong token, before any MCP message is read", async () => {
      const answer = await fetch(`${target().origin}/mcp`, {
        method: "POST",
        headers: {
          authorization: "Bearer not-a-token",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(answer.status).toBe(401);
      expect(await answer.text()).not.toContain("not-a-token");
      await expect(connect("not-a-token")).rejects.toThrow();
    });

    it("is stateless: GET /mcp (a server stream) is 405", async () => {
      const answer = await fetch(`${target().origin}/mcp`, {
        headers: { authorization: "Bearer token-alice", accept: "text/event-stream" },
      });
      expect(answer.status).toBe(405);
    });
  });
}
