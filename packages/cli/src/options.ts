import { parseArgs } from "node:util";
import * as z from "zod";

/** Flags of `glm-image`, as the seed's glm_image_cli.py has them, and the ones it lacked. */
const flags = {
  prompt: { type: "string", short: "p" },
  model: { type: "string", short: "m" },
  size: { type: "string", short: "s" },
  quality: { type: "string", short: "q" },
  "no-watermark": { type: "boolean" },
  "user-id": { type: "string" },
  save: { type: "string" },
  "out-dir": { type: "string" },
  async: { type: "boolean" },
  retries: { type: "string" },
  timeout: { type: "string" },
  "base-url": { type: "string" },
  "edge-url": { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

const whole = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const urlOption = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` });

export const optionsSchema = z
  .object({
    command: z.enum(["generate", "sign"]),
    prompt: z.string().optional(),
    model: z.string().optional(),
    size: z.string().optional(),
    quality: z.string().optional(),
    watermark: z.boolean(),
    userId: z.string().optional(),
    save: z.string().min(1, "--save needs a file name").optional(),
    outDir: z.string().min(1, "--out-dir needs a folder").optional(),
    async: z.boolean(),
    retries: whole("--retries", 0, 10).default(3),
    timeoutSeconds: whole("--timeout", 1, 3600).default(120),
    baseUrl: urlOption("--base-url").optional(),
    edgeUrl: urlOption("--edge-url").optional(),
    quiet: z.boolean(),
    help: z.boolean(),
    version: z.boolean(),
  })
  .refine((options) => !(options.save && options.outDir), "use --save or --out-dir, not both");

export type Options = z.infer<typeof optionsSchema>;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Reads argv into typed options; throws UsageError for anything a person must fix. */
export function parseOptions(argv: readonly string[]): Options {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof flags; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command = "generate", ...rest] = positionals;
  if (rest.length > 0 || (command !== "generate" && command !== "sign")) {
    throw new UsageError(`Unexpected argument: ${positionals.join(" ")}`);
  }
  const result = optionsSchema.safeParse({
    command,
    prompt: values.prompt,
    model: values.model,
    size: values.size,
    quality: values.quality,
    watermark: !values["no-watermark"],
    userId: values["user-id"],
    save: values.save,
    outDir: values["out-dir"],
    async: values.async ?? false,
    retries: values.retries,
    timeoutSeconds: values.timeout,
    baseUrl: values["base-url"],
    edgeUrl: values["edge-url"],
    quiet: values.quiet ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  });
  if (!result.success)
    throw new UsageError(result.error.issues.map((issue) => issue.message).join("; "));
  if (!result.data.help && !result.data.version && result.data.prompt === undefined) {
    throw new UsageError("the following arguments are required: --prompt/-p");
  }
  return result.data;
}

/** The generation request the options describe, before core's validation. */
export function generationInput(options: Options) {
  return {
    prompt: options.prompt,
    model: options.model,
    size: options.size,
    quality: options.quality,
    watermark_enabled: options.watermark,
    user_id: options.userId,
  };
}
