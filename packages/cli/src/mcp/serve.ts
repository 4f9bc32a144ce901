import type { Readable, Writable } from "node:stream";
import { createGlmImageMcpServer } from "@glm-image/mcp";
import { type PaidWork, resolvePath } from "@glm-image/node";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Environment } from "../environment.ts";
import type { Options } from "../options.ts";
import { EXIT } from "../result.ts";
import { journaledWork } from "../source.ts";
import { folderImageService } from "./folder-image-service.ts";
import { keptImages } from "./kept-images.ts";

export interface McpDeps {
  cwd: string;
  stderr: { write(text: string): unknown };
  /** The process's own standard input and output: the MCP stdio transport. */
  stdio: { input: Readable; output: Writable };
  version: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * `glm-image mcp`: the MCP server over stdio until the host closes standard input (exit 0) or
 * stops the process (SIGINT/SIGTERM: 130). Images go to --out-dir (default the state folder's
 * images/); without a key the server still starts, and generate_image answers MISSING_API_KEY.
 */
export async function serveMcp(
  options: Options,
  environment: Environment,
  deps: McpDeps,
): Promise<number> {
  const images = keptImages(resolvePath(options.outDir ?? environment.imagesFolder, deps.cwd));
  const throughEdge =
    options.edgeUrl !== undefined || Boolean(environment.edgeUrl && environment.edgeToken);
  let work: PaidWork | undefined;
  const service = folderImageService({
    images,
    work: () => (work ??= journaledWork(options, environment, deps.fetch)),
    throughEdge,
    signing: {
      edgeUrl: options.edgeUrl ?? environment.edgeUrl,
      secret: environment.signingSecret,
    },
    lifetime: deps.signal,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const instructions = `This server saves images in ${images.folder}${throughEdge ? ", made by the edge at their permanent URLs" : ""}.`;
  const { input, output } = deps.stdio;
  const ended = new Promise<void>((resolve) => {
    input.once("end", resolve);
    input.once("close", resolve);
    deps.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  const handle = serveStdio(
    () => createGlmImageMcpServer(service, { version: deps.version, instructions }),
    {
      transport: new StdioServerTransport(input, output),
      onerror: (error) => deps.stderr.write(`glm-image mcp: ${error.message}\n`),
    },
  );
  if (!options.quiet) {
    deps.stderr.write(`glm-image mcp: serving over stdio; images in ${images.folder}\n`);
  }
  await ended;
  await handle.close();
  return deps.signal?.aborted ? EXIT.interrupted : EXIT.ok;
}
