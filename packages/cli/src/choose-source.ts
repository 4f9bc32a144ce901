import { type GenerationRequest, isGlmImageError } from "@glm-image/core";
import type { PaidWork } from "@glm-image/node";
import type { Environment } from "./environment.ts";
import type { Options } from "./options.ts";
import { type Output, report } from "./report.ts";
import { cliResult } from "./result.ts";
import { journaledWork } from "./source.ts";

/**
 * The journaled paid work over the image source that the options and the environment choose
 * (`generate` and `batch`); or, without its credential, the exit status of the reported
 * MISSING_API_KEY (exit 2), with the fields of the request, before anything is sent.
 */
export function chooseSource(
  options: Options,
  environment: Environment,
  deps: Output & { fetch?: typeof fetch },
  fields: Partial<GenerationRequest>,
): PaidWork | number {
  try {
    // The command's own deadline (--timeout) bounds the wait for a task.
    return journaledWork(options, environment, deps.fetch, Number.POSITIVE_INFINITY);
  } catch (error) {
    if (!isGlmImageError(error)) throw error;
    return report(cliResult({ ...fields, error: error.toJSON() }), options, deps);
  }
}
