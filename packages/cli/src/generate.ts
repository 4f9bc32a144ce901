import { join } from "node:path";
import {
  contentKey,
  type GenerationRequest,
  type GenerationResult,
  type RetryInfo,
} from "@glm-image/core";
import { type ImageTarget, prepareTarget, resolvePath, wholeImageType } from "@glm-image/node";
import { commandSignal } from "./deadline.ts";
import { downloadInto } from "./download.ts";
import { imageFileName } from "./file-name.ts";
import type { Options } from "./options.ts";
import { startProgress } from "./progress.ts";
import { type CliResult, cliResult } from "./result.ts";
import type { ImageSource } from "./source.ts";

export interface GenerateDeps {
  cwd: string;
  stderr: { write(text: string): unknown; isTTY?: boolean };
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Where --save or --out-dir puts the image; `nameFor` names it once its real type is known. */
interface Destination {
  target: ImageTarget;
  nameFor?: (extension: string) => string;
}

/**
 * One image, as named steps: answer it from --out-dir when it is already there; check and
 * prepare the target before paying; generate; download into the target. One deadline and the
 * user's interruption cover all of it. The progress line is gone before the result is answered.
 */
export async function generateOne(
  request: GenerationRequest,
  options: Options,
  source: ImageSource,
  deps: GenerateDeps,
): Promise<CliResult> {
  const fields = {
    model: request.model,
    prompt: request.prompt,
    size: request.size,
    quality: request.quality,
  };
  const command = commandSignal(options.timeoutSeconds, deps.signal);
  const progress = startProgress(
    deps.stderr,
    Boolean(deps.stderr.isTTY) && !options.quiet,
    `Generating with ${request.model}…`,
  );
  const onRetry = ({ attempt, delayMs, error }: RetryInfo) => {
    if (!options.quiet && !deps.stderr.isTTY) {
      deps.stderr.write(
        `glm-image: ${error.code}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s\n`,
      );
    }
    progress.update(`Generating with ${request.model} (retry ${attempt} after ${error.code})…`);
  };
  let destination: Destination | undefined;
  let generated: GenerationResult | undefined;
  try {
    const cached = await cachedImage(request, options, deps.cwd);
    if (cached) return cliResult({ ...fields, ok: true, cached: true, ...cached });
    destination = await prepareDestination(request, options, deps.cwd);
    generated = await source(request, { signal: command.signal, onRetry });
    const success = {
      ...fields,
      ok: true,
      image_url: generated.url,
      created: generated.created,
      content_filter: generated.contentFilter,
      warnings: [...generated.warnings],
    };
    if (!destination) return cliResult(success);
    progress.update("Downloading…");
    const saved = await downloadInto(generated.url, destination.target, {
      signal: command.signal,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(destination.nameFor ? { nameFor: destination.nameFor } : {}),
    });
    if (saved.warning) success.warnings.push(saved.warning);
    return cliResult({
      ...success,
      saved_file: saved.path,
      content_type: saved.contentType,
      bytes: saved.bytes,
    });
  } catch (error) {
    const failure = command.classify(error);
    await destination?.target.discard();
    return cliResult({
      ...fields,
      image_url: generated?.url ?? null,
      created: generated?.created ?? null,
      content_filter: generated?.contentFilter ?? [],
      error: failure.toJSON(),
    });
  } finally {
    progress.stop();
  }
}

/** The file --out-dir would hold for this request, under any image extension. */
async function outDirName(request: GenerationRequest, outDir: string, cwd: string) {
  const key = await contentKey(request);
  const folder = resolvePath(outDir, cwd);
  return (extension: string) => join(folder, imageFileName(request.prompt, key, extension));
}

/** With --out-dir, an image of this request that is already there and whole: never paid twice. */
async function cachedImage(request: GenerationRequest, options: Options, cwd: string) {
  if (options.outDir === undefined) return undefined;
  const nameFor = await outDirName(request, options.outDir, cwd);
  for (const extension of ["png", "jpg", "webp"]) {
    const path = nameFor(extension);
    const type = await wholeImageType(path);
    if (type?.extension === extension) return { saved_file: path, content_type: type.contentType };
  }
  return undefined;
}

/** Checks and prepares --save or --out-dir before anything is paid (INVALID_PATH otherwise). */
async function prepareDestination(
  request: GenerationRequest,
  options: Options,
  cwd: string,
): Promise<Destination | undefined> {
  if (options.save !== undefined) {
    return { target: await prepareTarget(resolvePath(options.save, cwd)) };
  }
  if (options.outDir === undefined) return undefined;
  const nameFor = await outDirName(request, options.outDir, cwd);
  return { target: await prepareTarget(nameFor("png")), nameFor };
}
