import {
  contentKey,
  DEFAULT_BASE_URL,
  downloadImage,
  extensionsOf,
  type GenerationRequest,
  type GenerationResult,
  GlmImageError,
  generateImage,
  generateImageAsync,
  parseGenerationRequest,
  signedRenderUrl,
  toErrorObject,
} from "@glm-image/core";
import { resolvePath, saveImage } from "@glm-image/node";
import { imageFileName } from "./file-name.ts";
import { helpText } from "./help.ts";
import { generationInput, type Options, parseOptions, UsageError } from "./options.ts";
import { startProgress } from "./progress.ts";
import { type CliResult, cliResult } from "./result.ts";

export interface Deps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  version: string;
  fetch?: typeof fetch;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Runs `glm-image` with the given arguments; answers the exit status. */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.stderr.write(`glm-image: error: ${error.message}\nTry 'glm-image --help'.\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    deps.stdout.write(helpText);
    return EXIT_OK;
  }
  if (options.version) {
    deps.stdout.write(`${deps.version}\n`);
    return EXIT_OK;
  }
  const input = generationInput(options);
  let request: GenerationRequest;
  try {
    request = parseGenerationRequest(input);
  } catch (error) {
    const failure = toErrorObject(error);
    return report(deps, options, cliResult({ ...echo(input), error: failure }), EXIT_USAGE);
  }
  return options.command === "sign"
    ? sign(request, options, deps)
    : generate(request, options, deps);
}

const echo = (input: Record<string, unknown>) => ({
  model: typeof input.model === "string" ? input.model : null,
  prompt: typeof input.prompt === "string" ? input.prompt : null,
  size: typeof input.size === "string" ? input.size : null,
  quality: typeof input.quality === "string" ? input.quality : null,
});

/** The one place a result becomes output: the JSON line, stderr notes, the exit status. */
function report(deps: Deps, options: Options, result: CliResult, failedStatus = EXIT_FAILED) {
  deps.stdout.write(`${JSON.stringify(result)}\n`);
  if (!options.quiet) {
    for (const warning of result.warnings) deps.stderr.write(`glm-image: warning: ${warning}\n`);
  }
  if (result.error) deps.stderr.write(`glm-image: ${result.error.code}: ${result.error.message}\n`);
  return result.ok ? EXIT_OK : failedStatus;
}

async function generate(request: GenerationRequest, options: Options, deps: Deps): Promise<number> {
  const apiKey = deps.env.ZHIPU_API_KEY;
  const clientOptions = {
    apiKey,
    baseUrl: options.baseUrl ?? deps.env.ZHIPU_BASE_URL ?? DEFAULT_BASE_URL,
    timeoutMs: options.timeoutSeconds * 1000,
    maxRetries: options.retries,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
  const fields = {
    model: request.model,
    prompt: request.prompt,
    size: request.size,
    quality: request.quality,
  };
  const progress = startProgress(
    deps.stderr,
    Boolean(deps.stderr.isTTY) && !options.quiet,
    `Generating with ${request.model}…`,
  );
  const onRetry = ({
    attempt,
    delayMs,
    error,
  }: {
    attempt: number;
    delayMs: number;
    error: GlmImageError;
  }) => {
    if (!options.quiet && !deps.stderr.isTTY) {
      deps.stderr.write(
        `glm-image: ${error.code}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s\n`,
      );
    }
    progress.update(`Generating with ${request.model} (retry ${attempt} after ${error.code})…`);
  };
  let generated: GenerationResult | undefined;
  try {
    generated = options.async
      ? await generateImageAsync(request, { ...clientOptions, onRetry })
      : await generateImage(request, { ...clientOptions, onRetry });
    const success = {
      ...fields,
      ok: true,
      image_url: generated.url,
      created: generated.created,
      content_filter: generated.contentFilter,
      warnings: [...generated.warnings],
    };
    const target = options.save ?? options.outDir;
    if (target === undefined) return report(deps, options, cliResult(success));
    progress.update("Downloading…");
    const image = await downloadImage(generated.url, {
      timeoutMs: clientOptions.timeoutMs,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const path = options.save
      ? resolvePath(options.save, deps.cwd)
      : resolvePath(
          `${options.outDir}/${imageFileName(request.prompt, await contentKey(request), image.extension)}`,
          deps.cwd,
        );
    const { bytes } = await saveImage(image.body, path);
    const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
    if (!extension || !extensionsOf(image).includes(extension)) {
      success.warnings.push(
        `The image is ${image.contentType} but ${path} has ${extension ? `extension .${extension}` : "no extension"}; consider .${image.extension}`,
      );
    }
    return report(
      deps,
      options,
      cliResult({ ...success, saved_file: path, content_type: image.contentType, bytes }),
    );
  } catch (error) {
    if (!(error instanceof GlmImageError)) throw error;
    return report(
      deps,
      options,
      cliResult({
        ...fields,
        image_url: generated?.url ?? null,
        created: generated?.created ?? null,
        content_filter: generated?.contentFilter ?? [],
        error: error.toJSON(),
      }),
    );
  } finally {
    progress.stop();
  }
}

async function sign(request: GenerationRequest, options: Options, deps: Deps): Promise<number> {
  const secret = deps.env.SIGNING_SECRET;
  const edgeUrl = options.edgeUrl ?? deps.env.GLM_IMAGE_EDGE_URL;
  if (!secret || !edgeUrl) {
    deps.stderr.write(
      `glm-image: error: sign needs ${secret ? "" : "SIGNING_SECRET in the environment"}${!secret && !edgeUrl ? " and " : ""}${edgeUrl ? "" : "--edge-url (or GLM_IMAGE_EDGE_URL)"}\n`,
    );
    return EXIT_USAGE;
  }
  const url = await signedRenderUrl(
    edgeUrl,
    { prompt: request.prompt, model: request.model, size: request.size, quality: request.quality },
    secret,
  );
  deps.stdout.write(`${JSON.stringify({ ok: true, url })}\n`);
  return EXIT_OK;
}
