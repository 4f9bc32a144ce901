import * as core from "@actions/core";
import { modelSchema, qualitySchema, userIdSchema } from "@glm-image/core";
import { parseOrThrow } from "@glm-image/node";
import * as z from "zod";

export const MAX_CONCURRENCY = 16;

const yamlBoolean = (name: string) =>
  z.string().transform((value, context) => {
    if (/^(true|True|TRUE)$/.test(value)) return true;
    if (/^(false|False|FALSE)$/.test(value)) return false;
    context.addIssue({ code: "custom", message: `${name} must be true or false, not "${value}"` });
    return z.NEVER;
  });

const optional = <Output>(schema: z.ZodType<Output, string>) =>
  z
    .string()
    .transform((value) => (value === "" ? undefined : value))
    .pipe(schema.optional());

const httpUrl = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` });

/** Every input of action.yml, as the runner passes them (strings), into a typed config. */
export const inputsSchema = z
  .object({
    prompt: optional(z.string()),
    path: optional(z.string()),
    manifest: optional(z.string()),
    model: optional(modelSchema),
    size: optional(z.string()),
    quality: optional(qualitySchema),
    watermark: yamlBoolean("watermark"),
    "user-id": optional(userIdSchema),
    "api-key": optional(z.string()),
    "base-url": optional(httpUrl("base-url")),
    "edge-url": optional(httpUrl("edge-url")),
    "edge-token": optional(z.string()),
    commit: yamlBoolean("commit"),
    "commit-message": z.string().min(1, "commit-message must not be empty"),
    branch: optional(z.string().regex(/^[\w./-]+$/, "branch is not a valid branch name")),
    "github-token": optional(z.string()),
    "upload-artifact": yamlBoolean("upload-artifact"),
    "artifact-name": z.string().min(1, "artifact-name must not be empty"),
    "skip-unchanged": yamlBoolean("skip-unchanged"),
    "lock-file": z.string().min(1, "lock-file must not be empty"),
    concurrency: z.union([
      z.literal("auto"),
      z.coerce
        .number({ error: 'concurrency must be "auto" or a number' })
        .int("concurrency must be a whole number")
        .min(1, "concurrency must be auto or 1 to 16")
        .max(MAX_CONCURRENCY, "concurrency must be auto or 1 to 16"),
    ]),
    comment: z.enum(["auto", "true", "false"], {
      error: "comment must be auto, true or false",
    }),
    "commit-via": z.enum(["git", "api"], { error: "commit-via must be git or api" }),
    "dry-run": yamlBoolean("dry-run"),
    "max-generations": optional(
      z
        .string()
        .regex(/^\s*\d+\s*$/, "max-generations must be a whole number, 0 or more")
        .transform(Number),
    ),
  })
  .check((context) => {
    const inputs = context.value;
    if ((inputs.prompt === undefined) === (inputs.manifest === undefined)) {
      context.issues.push({
        code: "custom",
        input: inputs,
        message: "set exactly one of prompt (with path) and manifest",
      });
    }
    if (inputs.prompt !== undefined && inputs.path === undefined) {
      context.issues.push({
        code: "custom",
        input: inputs,
        message: "prompt needs a path to write the image to",
      });
    }
    if ((inputs["edge-url"] === undefined) !== (inputs["edge-token"] === undefined)) {
      context.issues.push({
        code: "custom",
        input: inputs,
        message: "edge-url and edge-token go together",
      });
    }
  });

export type Inputs = z.output<typeof inputsSchema>;

/** action.yml's defaults (a test checks they agree), applied when the action runs outside it. */
export const inputDefaults: Readonly<Record<string, string>> = {
  watermark: "true",
  commit: "false",
  "commit-message": "chore: generate images [skip ci]",
  "upload-artifact": "true",
  "artifact-name": "generated-images",
  "skip-unchanged": "true",
  "lock-file": ".glm-image.lock.json",
  concurrency: "auto",
  comment: "auto",
  "commit-via": "git",
  "dry-run": "false",
};

/** Reads the inputs with @actions/core, applying action.yml's defaults when run outside it. */
export function readInputs(): Inputs {
  const raw = Object.fromEntries(
    Object.keys(inputsSchema.shape).map((name) => [
      name,
      core.getInput(name) || (inputDefaults[name] ?? ""),
    ]),
  );
  return parseOrThrow(inputsSchema, raw, "inputs", "input");
}
