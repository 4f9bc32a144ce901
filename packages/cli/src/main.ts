import type { Readable, Writable } from "node:stream";
import { openJournal } from "@glm-image/node";
import { batch, batchDryRun } from "./batch.ts";
import { chooseSource } from "./choose-source.ts";
import { readEnvironment } from "./environment.ts";
import { generateOne } from "./generate.ts";
import { helpOrVersion } from "./help.ts";
import { journalCommand } from "./journal-command.ts";
import { mcpCommand } from "./mcp-command.ts";
import { parseOptions, UsageError } from "./options.ts";
import { report } from "./report.ts";
import { requestOf } from "./request-of.ts";
import { EXIT } from "./result.ts";
import { sign } from "./sign.ts";

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

/**
 * The pipeline: parse the arguments; answer --help/--version; dispatch the commands that
 * generate nothing (journal, mcp); check the request (generate, sign); choose the source;
 * generate or batch; report. A step that ends the command answers its exit status (a number).
 */
async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const options = parseOptions(argv);
  if (options.help || options.version) return helpOrVersion(options, deps);
  const environment = readEnvironment(deps.env);
  switch (options.command) {
    case "journal":
      return journalCommand(options, openJournal(environment.journalFolder), deps);
    case "mcp":
      return mcpCommand(options, environment, deps);
    case "batch": {
      if (options.dryRun) return batchDryRun(options, deps);
      const work = chooseSource(options, environment, deps, {});
      return typeof work === "number" ? work : batch(options, work, deps);
    }
  }
  const request = await requestOf(options, deps);
  if (typeof request === "number") return request;
  if (options.command === "sign") return sign(request, options, environment, deps);
  const work = chooseSource(options, environment, deps, request);
  if (typeof work === "number") return work;
  return report(await generateOne(request, options, work, deps), options, deps);
}
