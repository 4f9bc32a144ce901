import { createGlmImageMcpServer } from "@glm-image/mcp";
import { createMcpHandler } from "@modelcontextprotocol/server";
import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import { edgeImageService } from "./edge-image-service.ts";

/** The edge's version, as the MCP server names itself to hosts. */
const VERSION = "0.1.0";

/**
 * One MCP request over stateless Streamable HTTP: a fresh server for this request's tenant, its
 * answer (JSON, or an event stream with the progress of a long call) on the request's own
 * response. No session: any isolate or instance answers any request.
 */
export function serveMcp(context: Context<AppEnv>, deps: AppDeps): Promise<Response> {
  const service = edgeImageService(context, deps);
  const handler = createMcpHandler(() => createGlmImageMcpServer(service, { version: VERSION }));
  return Promise.resolve(handler.fetch(context.req.raw));
}
