import { parseArgs } from "node:util";
import { nearest } from "@glm-image/node";
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
  "edge-token": { type: "string" },
  "prompt-file": { type: "string" },
  "lock-file": { type: "string" },
  concurrency: { type: "string" },
  "dry-run": { type: "boolean" },
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
    command: z.enum(["generate", "sign", "batch", "journal", "mcp"]),
    manifest: z.string().min(1, "batch needs a manifest file").optional(),
    /** `glm-image journal` lists; `glm-image journal clear [KEY]` clears one entry or all. */
    journalAction: z.enum(["list", "clear"]).optional(),
    journalKey: z.string().optional(),
    prompt: z.string().optional(),
    promptFile: z.string().min(1, "--prompt-file needs a file name").optional(),
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
    edgeToken: z.string().min(1, "--edge-token must not be empty").optional(),
    lockFile: z.string().min(1, "--lock-file needs a file name").default(".glm-image.lock.json"),
    concurrency: whole("--concurrency", 1, 16).default(2),
    /** batch: plan and price, generate nothing. */
    dryRun: z.boolean(),
    quiet: z.boolean(),
    help: z.boolean(),
    version: z.boolean(),
  })
  .refine((options) => !(options.save && options.outDir), "use --save or --out-dir, not both")
  .refine(
    (options) => !(options.prompt !== undefined && options.promptFile),
    "use --prompt or --prompt-file, not both",
  );

export type Options = z.infer<typeof optionsSchema>;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

type FlagName = keyof typeof flags;

/** What `glm-image mcp` takes: where images go and where they come from. */
const MCP_FLAGS: ReadonlySet<FlagName> = new Set([
  "out-dir",
  "edge-url",
  "edge-token",
  "base-url",
  "async",
  "retries",
  "quiet",
]);
const flagNames = Object.keys(flags) as FlagName[];
const isFlag = (name: string): name is FlagName => Object.hasOwn(flags, name);

/**
 * Checks each option as a person wrote it, with plain messages (no parseArgs jargon): an
 * unknown option (with the nearest known one), a value missing or given where none is taken. A
 * value that starts with "-" is taken when it is a number (`--retries -1` then meets the range
 * check) or written `--flag=-value`; otherwise it is the next option and the value is missing.
 */
function checkTokens(tokens: ReadonlyArray<{ kind: string } & Record<string, unknown>>): void {
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const name = String(token.name);
    const raw = String(token.rawName);
    if (!isFlag(name)) {
      const guess = nearest(name, flagNames);
      throw new UsageError(`unknown option ${raw}${guess ? ` (did you mean --${guess}?)` : ""}`);
    }
    const value = token.value as string | undefined;
    if (flags[name].type === "boolean") {
      if (value !== undefined) throw new UsageError(`--${name} takes no value`);
      continue;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (!token.inlineValue && /^-[^\d]/.test(value)) {
      throw new UsageError(
        `--${name} needs a value, and ${value} is an option (for a value that starts with "-", write --${name}=${value})`,
      );
    }
  }
}

const COMMANDS = ["generate", "sign", "batch", "journal", "mcp"] as const;
type Command = (typeof COMMANDS)[number];
const isCommand = (word: string): word is Command => (COMMANDS as readonly string[]).includes(word);

/** The command and its words: `batch MANIFEST`, `journal [clear [KEY]]`. */
function commandOf(positionals: string[]) {
  const [command = "generate", ...rest] = positionals;
  const unexpected = () => new UsageError(`unexpected argument: ${positionals.join(" ")}`);
  if (!isCommand(command)) throw unexpected();
  if (command === "journal") {
    const [action = "list", key, ...more] = rest;
    if ((action !== "list" && action !== "clear") || more.length > 0) throw unexpected();
    if (action === "list" && key !== undefined) throw unexpected();
    return { command, journalAction: action, journalKey: key };
  }
  if (rest.length > (command === "batch" ? 1 : 0)) throw unexpected();
  return { command, manifest: rest[0] };
}

/** Reads argv into typed options; throws UsageError for anything a person must fix. */
export function parseOptions(argv: readonly string[]): Options {
  const {
    tokens,
    positionals,
    values: loose,
  } = parseArgs({
    args: [...argv],
    options: flags,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  checkTokens(tokens as unknown as Array<{ kind: string } & Record<string, unknown>>);
  const values = loose as Partial<Record<FlagName, string & boolean>>;
  const { command, ...words } = commandOf(positionals);
  const result = optionsSchema.safeParse({
    command,
    ...words,
    prompt: values.prompt,
    promptFile: values["prompt-file"],
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
    edgeToken: values["edge-token"],
    lockFile: values["lock-file"],
    concurrency: values.concurrency,
    dryRun: values["dry-run"] ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  });
  if (!result.success)
    throw new UsageError(result.error.issues.map((issue) => issue.message).join("; "));
  const options = result.data;
  if (options.help || options.version || options.command === "journal") return options;
  if (options.command === "mcp") {
    const refused = flagNames.filter((name) => values[name] !== undefined && !MCP_FLAGS.has(name));
    if (refused.length > 0) {
      throw new UsageError(
        `mcp takes each request from the host's tool calls; it has no ${refused.map((name) => `--${name}`).join(", ")} (its options: ${[...MCP_FLAGS].map((name) => `--${name}`).join(", ")})`,
      );
    }
    return options;
  }
  if (options.command === "batch") {
    if (options.manifest === undefined) throw new UsageError("batch needs a manifest file");
    if (options.prompt !== undefined || options.promptFile !== undefined) {
      throw new UsageError("batch takes its prompts from the manifest, not --prompt");
    }
    if (options.save !== undefined || options.outDir !== undefined) {
      throw new UsageError("batch writes to the paths in the manifest, not --save or --out-dir");
    }
  } else if (options.dryRun) {
    throw new UsageError("--dry-run plans a batch: glm-image batch MANIFEST --dry-run");
  } else if (options.prompt === undefined && options.promptFile === undefined) {
    throw new UsageError("the following arguments are required: --prompt/-p (or --prompt-file)");
  }
  return options;
}

/** The generation request the options describe, before core's validation. */
export function generationInput(options: Options, prompt = options.prompt) {
  return {
    prompt,
    model: options.model,
    size: options.size,
    quality: options.quality,
    watermark_enabled: options.watermark,
    user_id: options.userId,
  };
}
