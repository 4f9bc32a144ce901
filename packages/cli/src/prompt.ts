import { readFile } from "node:fs/promises";
import { resolvePath } from "@glm-image/node";
import { type Options, UsageError } from "./options.ts";

/**
 * The prompt as the options give it: `--prompt TEXT`, `--prompt-file FILE`, or `-p -` for
 * standard input (long and multi-line prompts that a shell would mangle).
 */
export async function readPrompt(
  options: Options,
  deps: { cwd: string; stdin?: AsyncIterable<string | Uint8Array> },
): Promise<string | undefined> {
  if (options.promptFile !== undefined) {
    const path = resolvePath(options.promptFile, deps.cwd);
    return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read --prompt-file ${path}: ${error.code ?? error.message}`);
    });
  }
  if (options.prompt !== "-") return options.prompt;
  if (!deps.stdin) throw new UsageError("-p - reads the prompt from standard input; none is open");
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of deps.stdin) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
