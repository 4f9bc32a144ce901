import {
  DEFAULT_MODEL,
  type GenerationRequest,
  modelRules,
  parseGenerationRequest,
  toErrorObject,
} from "@glm-image/core";
import { generationInput, type Options } from "./options.ts";
import { readPrompt } from "./prompt.ts";
import { type Output, report } from "./report.ts";
import { cliResult } from "./result.ts";

/**
 * The generation request the options ask for (`generate` and `sign`), checked by core; or, when
 * core refuses it (INVALID_*, exit 2), the exit status of its reported result.
 */
export async function requestOf(
  options: Options,
  deps: Output & { cwd: string; stdin?: AsyncIterable<string | Uint8Array> },
): Promise<GenerationRequest | number> {
  const input = generationInput(options, await readPrompt(options, deps));
  try {
    return parseGenerationRequest(input);
  } catch (error) {
    return report(cliResult({ ...knownFields(input), error: toErrorObject(error) }), options, deps);
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
