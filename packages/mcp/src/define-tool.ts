// One tool on the server: its schemas advertised, its input parsed by us (so bad input is a tool
// error with the contract's code), its result and its failures shaped the same way for every tool.
import type {
  CallToolResult,
  ContentBlock,
  McpServer,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from "@modelcontextprotocol/server";
import type * as z from "zod";
import { inputError, toToolError } from "./tool-errors.ts";

export interface ToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject> {
  title: string;
  description: string;
  input: Input;
  output: Output;
  /** All four hints, said outright: hosts assume the worst of a missing one. */
  annotations: Required<
    Pick<ToolAnnotations, "readOnlyHint" | "destructiveHint" | "idempotentHint" | "openWorldHint">
  >;
}

export interface ToolAnswer<Output> {
  structured: Output;
  /** Blocks after the JSON text of `structured`: a resource link, an image, a note. */
  content?: ContentBlock[];
}

export interface ToolCall {
  context: ServerContext;
  /**
   * Aborted when the client cancels the call or its connection goes away (the SDK joins both):
   * pass it to the service.
   */
  signal: AbortSignal;
}

export type ToolRun<Input extends z.ZodObject, Output extends z.ZodObject> = (
  input: z.output<Input>,
  call: ToolCall,
) => Promise<ToolAnswer<z.output<Output>>>;

/**
 * The JSON Schema of `schema` for `tools/list`, with a validation that lets every value through:
 * the SDK's own check would answer bad input with a bare sentence and no code; the tool parses its
 * input itself (`defineTool`) and answers `isError` with the contract's INVALID_* codes.
 */
export function advertisedOnly(schema: z.ZodType): StandardSchemaWithJSON<unknown, unknown> {
  return {
    "~standard": {
      version: 1,
      vendor: "glm-image",
      validate: (value) => ({ value }),
      jsonSchema: schema["~standard"].jsonSchema,
    },
  };
}

const json = (value: unknown): ContentBlock => ({ type: "text", text: JSON.stringify(value) });

/**
 * A failed call: `{"error": {code, message, ...}}` as JSON text, and no `structuredContent`. The
 * 1.x SDK's Client (and the ports of it) checks `structuredContent` against the success
 * `outputSchema` whenever it is present, `isError` or not: an error object there would turn into
 * a protocol error (-32602) in those hosts instead of a result the model can read.
 */
export function errorResult(error: unknown): CallToolResult {
  return { isError: true, content: [json({ error: toToolError(error) })] };
}

export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  server: McpServer,
  name: string,
  definition: ToolDefinition<Input, Output>,
  run: ToolRun<Input, Output>,
): void {
  server.registerTool(
    name,
    {
      title: definition.title,
      description: definition.description,
      inputSchema: advertisedOnly(definition.input),
      outputSchema: definition.output,
      annotations: { title: definition.title, ...definition.annotations },
    },
    async (args, context) => {
      const parsed = definition.input.safeParse(args ?? {});
      if (!parsed.success) return errorResult(inputError(parsed.error.issues));
      try {
        const answer = await run(parsed.data, { context, signal: context.mcpReq.signal });
        // Exactly the advertised fields: a face's extra ones would fail the client's check.
        const structured = definition.output.parse(answer.structured);
        return {
          content: [json(structured), ...(answer.content ?? [])],
          structuredContent: structured,
        };
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
