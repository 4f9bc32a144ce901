// MCP's own conformance suite (@modelcontextprotocol/conformance, from the registry) against the
// edge's /mcp on deno serve. The suite's client sends no credentials, so a loopback proxy adds
// one tenant's bearer token to each request, and nothing else.
//
// Run here: every scenario that tests the protocol itself. Not run, because they call fixtures
// of the SDK's reference "everything" server that no real server has (tools named test_*,
// resources test://..., prompts test_*): tools-call-*, resources-read-*, resources-templates-read,
// prompts-get-*, elicitation-*, json-schema-2020-12. Not run, because this server does not offer
// them and says so in its capabilities (the suite calls them anyway, and gets -32601 "Method not
// found", which is the protocol's answer): logging-set-level, completion-complete,
// resources-subscribe, resources-unsubscribe.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { contractSettings } from "../contract-settings.ts";

const SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "resources-list",
  "prompts-list",
  "server-sse-multiple-streams",
  "server-sse-polling",
  "dns-rebinding-protection",
];

const conformance = join(
  createRequire(import.meta.url).resolve("@modelcontextprotocol/conformance/package.json"),
  "../dist/index.js",
);

let service: Service;
let proxy: Server;
let proxyOrigin: string;

/** Forwards to the edge with a tenant's token; drops only what fetch sets itself. */
function startProxy(): Promise<Server> {
  const hopByHop = new Set(["host", "connection", "content-length", "transfer-encoding"]);
  const server = createServer(async (request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !hopByHop.has(name)) headers.set(name, value);
    }
    headers.set("authorization", "Bearer token-alice");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await fetch(`${service.origin}${request.url}`, {
      method: request.method ?? "GET",
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const kept = [...answer.headers].filter(
      ([name]) => !hopByHop.has(name) && name !== "content-encoding",
    );
    response.writeHead(answer.status, Object.fromEntries(kept));
    if (answer.body) for await (const chunk of answer.body) response.write(chunk);
    response.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  proxy = await startProxy();
  const { port } = proxy.address() as { port: number };
  // The suite calls the server at http://localhost:PORT; a page of that origin may use /mcp.
  proxyOrigin = `http://localhost:${port}`;
  service = await startDenoEdge(
    inject("mockBaseUrl"),
    await mkdtemp(join(tmpdir(), "glm-image-conformance-")),
    { ...contractSettings, ALLOWED_ORIGINS: proxyOrigin },
  );
});
afterAll(async () => {
  proxy?.close();
  await service?.stop();
});

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO";
  description: string;
  errorMessage?: string;
}

/** One scenario through the suite's CLI: its checks, as it saves them. */
async function runScenario(scenario: string): Promise<Check[]> {
  const output = await mkdtemp(join(tmpdir(), "glm-image-conformance-results-"));
  const child = spawn(
    process.execPath,
    [conformance, "server", "--url", `${proxyOrigin}/mcp`, "--scenario", scenario, "-o", output],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let printed = "";
  child.stdout.on("data", (chunk: Buffer) => (printed += chunk));
  child.stderr.on("data", (chunk: Buffer) => (printed += chunk));
  await new Promise((resolve) => child.on("close", resolve));
  const [folder] = await readdir(output);
  expect(folder, printed).toBeDefined();
  return JSON.parse(await readFile(join(output, folder ?? "", "checks.json"), "utf8"));
}

describe("the MCP conformance suite against deno serve's /mcp", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: no check fails`, async () => {
      const checks = await runScenario(scenario);
      expect(checks.length).toBeGreaterThan(0);
      const failed = checks.filter((check) => check.status === "FAILURE");
      expect(failed.map((check) => `${check.id}: ${check.errorMessage}`)).toEqual([]);
    });
  }
});
