import type { Options } from "./options.ts";
import { type CliResult, exitStatusOf } from "./result.ts";

/** Where a command writes: its JSON lines on stdout, its notes on stderr. */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * The one place a result becomes output: the JSON line, stderr notes, the exit status. A step
 * that ends the command with a result answers this exit status in place of its value.
 */
export function report(result: CliResult, options: Options, output: Output): number {
  output.stdout.write(`${JSON.stringify(result)}\n`);
  if (!options.quiet) {
    for (const warning of result.warnings) output.stderr.write(`glm-image: warning: ${warning}\n`);
  }
  if (result.error)
    output.stderr.write(`glm-image: ${result.error.code}: ${result.error.message}\n`);
  return exitStatusOf(result.error);
}
