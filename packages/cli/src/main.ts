import type { Readable, Writable } from "node:stream";
import {
  DEFAULT_MODEL,
  type GenerationRequest,
  GlmImageError,
  modelRules,
  parseGenerationRequest,
  signedRenderUrl,
  toErrorObject,
} from "@glm-image/core";
import { openJournal, type PaidWork, paidWork } from "@glm-image/node";
import { batch } from "./batch.ts";
import { type Environment, readEnvironment } from "./environment.ts";
import { generateOne } from "./generate.ts";
import { helpText } from "./help.ts";
import { journalCommand } from "./journal-command.ts";
import { generationInput, type Options, parseOptions, UsageError } from "./options.ts";
import { readPrompt } from "./prompt.ts";
import { type CliResult, cliResult, EXIT, exitStatusOf } from "./result.ts";
import { imageSource } from "./source.ts";

export interface Deps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** For `-p -`. */
  stdin?: AsyncIterable<string | Uint8Array>;
  version: string;
  fetch?: typeof fetch;
  /** Aborted on SIGINT/SIGTERM: the command stops, cleans up and answers INTERRUPTED. */
  signal?: AbortSignal;
  /** For `mcp`: the process's own standard input and output, its transport. */
  stdio?: { input: Readable; output: Writable };
}

/** Runs `glm-image` with the given arguments; answers the exit status (see EXIT). */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  try {
    return await run(argv, deps);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.stderr.write(`glm-image: error: ${error.message}\nTry 'glm-image --help'.\n`);
    return EXIT.usage;
  }
}

async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    deps.stdout.write(helpText);
    return EXIT.ok;
  }
  if (options.version) {
    deps.stdout.write(`${deps.version}\n`);
    return EXIT.ok;
  }
  const environment = readEnvironment(deps.env);
  if (options.command === "journal") {
    return journalCommand(options, openJournal(environment.journalFolder), deps);
  }
  if (options.command === "mcp") {
    if (!deps.stdio) throw new UsageError("mcp serves over standard input and output only");
    // Loaded only by `mcp`: the other commands never read the MCP SDK.
    const { mcpCommand } = await import("./mcp/serve.ts");
    return mcpCommand(options, environment, { ...deps, stdio: deps.stdio });
  }
  if (options.command === "batch") {
    const work = workOrReport(options, deps, environment, {});
    if (typeof work === "number") return work;
    return batch(options, work, deps).catch((error: unknown) => {
      if (error instanceof GlmImageError) throw error;
      throw new UsageError(error instanceof Error ? error.message : String(error));
    });
  }
  const input = generationInput(options, await readPrompt(options, deps));
  let request: GenerationRequest;
  try {
    request = parseGenerationRequest(input);
  } catch (error) {
    return report(deps, options, cliResult({ ...knownFields(input), error: toErrorObject(error) }));
  }
  if (options.command === "sign") return sign(request, options, deps, environment);
  const work = workOrReport(options, deps, environment, request);
  if (typeof work === "number") return work;
  return report(deps, options, await generateOne(request, options, work, deps));
}

/**
 * The journaled paid work over the image source (the journal in the user's state folder), or
 * the reported MISSING_API_KEY (exit 2) before anything is sent.
 */
function workOrReport(
  options: Options,
  deps: Deps,
  environment: Environment,
  fields: Partial<GenerationRequest>,
): PaidWork | number {
  try {
    return paidWork({
      source: imageSource(options, environment, deps.fetch),
      journal: openJournal(environment.journalFolder),
      clearHint: (key) => `run glm-image journal clear ${key}`,
      // The command's own deadline (--timeout) bounds the wait for a task.
      taskWaitMs: Number.POSITIVE_INFINITY,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  } catch (error) {
    if (!(error instanceof GlmImageError)) throw error;
    return report(deps, options, cliResult({ ...fields, error: error.toJSON() }));
  }
}

/**
 * Every field of a request that failed validation that is still known: the model (or the
 * default one, which the size rule in the message names), and what was asked.
 */
function knownFields(input: ReturnType<typeof generationInput>) {
  const model = input.model ?? DEFAULT_MODEL;
  const rules = Object.hasOwn(modelRules, model)
    ? modelRules[model as keyof typeof modelRules]
    : undefined;
  return {
    model,
    prompt: input.prompt?.trim() ?? null,
    size: input.size ?? rules?.defaultSize ?? null,
    quality: input.quality ?? rules?.defaultQuality ?? null,
  };
}

/** The one place a result becomes output: the JSON line, stderr notes, the exit status. */
function report(deps: Deps, options: Options, result: CliResult): number {
  deps.stdout.write(`${JSON.stringify(result)}\n`);
  if (!options.quiet) {
    for (const warning of result.warnings) deps.stderr.write(`glm-image: warning: ${warning}\n`);
  }
  if (result.error) deps.stderr.write(`glm-image: ${result.error.code}: ${result.error.message}\n`);
  return exitStatusOf(result.error);
}

async function sign(
  request: GenerationRequest,
  options: Options,
  deps: Deps,
  environment: Environment,
): Promise<number> {
  const secret = environment.signingSecret;
  const edgeUrl = options.edgeUrl ?? environment.edgeUrl;
  if (!secret || !edgeUrl) {
    deps.stderr.write(
      `glm-image: error: sign needs ${secret ? "" : "SIGNING_SECRET in the environment"}${!secret && !edgeUrl ? " and " : ""}${edgeUrl ? "" : "--edge-url (or GLM_IMAGE_EDGE_URL)"}\n`,
    );
    return EXIT.usage;
  }
  const url = await signedRenderUrl(
    edgeUrl,
    { prompt: request.prompt, model: request.model, size: request.size, quality: request.quality },
    secret,
  );
  deps.stdout.write(`${JSON.stringify({ ok: true, url })}\n`);
  return EXIT.ok;
}
