import {
  contentKey,
  type GenerationRequest,
  type GenerationResult,
  type RetryInfo,
} from "@glm-image/core";
import {
  type ImageTarget,
  type PaidWork,
  prepareTarget,
  resolvePath,
  type Stage,
} from "@glm-image/node";
import { commandSignal, withNote } from "./deadline.ts";
import type { Options } from "./options.ts";
import { outDirName, wholeImageIn } from "./out-dir.ts";
import { startProgress } from "./progress.ts";
import { type CliResult, cliResult } from "./result.ts";

export interface GenerateDeps {
  cwd: string;
  stderr: { write(text: string): unknown; isTTY?: boolean };
  signal?: AbortSignal;
}

/** Where --save or --out-dir puts the image; `nameFor` names it once its real type is known. */
interface Destination {
  target: ImageTarget;
  nameFor?: (extension: string) => string;
}

const stageText: Record<Stage, string> = {
  generating: "Generating",
  submitted: "Generating (task accepted)",
  "resuming-task": "Resuming the paid task from the journal",
  "resuming-image": "Downloading the paid image from the journal",
  downloading: "Downloading",
};

/**
 * One image, as named steps: answer it from --out-dir when it is already there; check and
 * prepare the target before paying; get the image through the journaled paid work (resumed when
 * the journal holds it); download it into the target. One deadline and the user's interruption
 * cover all of it. The progress line is gone before the result is answered.
 */
export async function generateOne(
  request: GenerationRequest,
  options: Options,
  work: PaidWork,
  deps: GenerateDeps,
): Promise<CliResult> {
  const fields = {
    model: request.model,
    prompt: request.prompt,
    size: request.size,
    quality: request.quality,
  };
  const key = await contentKey(request);
  const command = commandSignal(options.timeoutSeconds, deps.signal);
  const progress = startProgress(
    deps.stderr,
    Boolean(deps.stderr.isTTY) && !options.quiet,
    `Generating with ${request.model}…`,
  );
  const note = (text: string) => {
    if (!options.quiet && !deps.stderr.isTTY) deps.stderr.write(`glm-image: ${text}\n`);
  };
  const onRetry = ({ attempt, delayMs, error }: RetryInfo) => {
    note(`${error.code}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s`);
    progress.update(`Generating with ${request.model} (retry ${attempt} after ${error.code})…`);
  };
  const onStage = (stage: Stage, detail?: string) => {
    if (stage === "resuming-task" || stage === "resuming-image") {
      note(`${stageText[stage]} (${detail}): nothing more is paid`);
    }
    progress.update(`${stageText[stage]}…`);
  };
  let destination: Destination | undefined;
  let generated: GenerationResult | undefined;
  try {
    const cached = await cachedImage(request, key, options, deps.cwd);
    if (cached) return cliResult({ ...fields, ok: true, cached: true, ...cached });
    destination = await prepareDestination(request, key, options, deps.cwd);
    const produced = await work.produce(
      { key, request, target: destination?.target, nameFor: destination?.nameFor },
      {
        signal: command.signal,
        onRetry,
        onStage,
        onImage: (result) => {
          generated = result;
        },
      },
    );
    generated = produced.result;
    const { saved } = produced;
    return cliResult({
      ...fields,
      ok: true,
      image_url: generated.url,
      created: generated.created,
      content_filter: generated.contentFilter,
      warnings: [...generated.warnings, ...(saved?.warning ? [saved.warning] : [])],
      ...(saved
        ? { saved_file: saved.path, content_type: saved.contentType, bytes: saved.bytes }
        : {}),
    });
  } catch (error) {
    const failure = command.classify(error);
    const kept = await work.keptNote(key, error);
    return cliResult({
      ...fields,
      image_url: generated?.url ?? null,
      created: generated?.created ?? null,
      content_filter: generated?.contentFilter ?? [],
      error: withNote(failure, kept),
    });
  } finally {
    progress.stop();
  }
}

/** With --out-dir, an image of this request that is already there and whole: never paid twice. */
async function cachedImage(request: GenerationRequest, key: string, options: Options, cwd: string) {
  if (options.outDir === undefined) return undefined;
  const found = await wholeImageIn(resolvePath(options.outDir, cwd), request, key);
  return found && { saved_file: found.path, content_type: found.contentType };
}

/**
 * Checks and prepares --save or --out-dir before anything is paid (DOWNLOAD_FAILED with reason
 * INVALID_PATH otherwise).
 */
async function prepareDestination(
  request: GenerationRequest,
  key: string,
  options: Options,
  cwd: string,
): Promise<Destination | undefined> {
  if (options.save !== undefined) {
    return { target: await prepareTarget(resolvePath(options.save, cwd)) };
  }
  if (options.outDir === undefined) return undefined;
  const nameFor = outDirName(resolvePath(options.outDir, cwd), request, key);
  return { target: await prepareTarget(nameFor("png")), nameFor };
}
