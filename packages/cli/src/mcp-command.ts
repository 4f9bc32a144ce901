import type { Environment } from "./environment.ts";
import type { McpDeps } from "./mcp/serve.ts";
import { type Options, UsageError } from "./options.ts";

/**
 * `glm-image mcp`, over the process's standard input and output. Its server is loaded only here:
 * the other commands never read the MCP SDK.
 */
export async function mcpCommand(
  options: Options,
  environment: Environment,
  deps: Omit<McpDeps, "stdio"> & Partial<Pick<McpDeps, "stdio">>,
): Promise<number> {
  if (!deps.stdio) throw new UsageError("mcp serves over standard input and output only");
  const { serveMcp } = await import("./mcp/serve.ts");
  return serveMcp(options, environment, { ...deps, stdio: deps.stdio });
}
