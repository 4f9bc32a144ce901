import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import * as z from "zod";
import { nearest } from "./nearest.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { confineReal } from "./workspace-path.ts";

const itemShape = {
  path: z.string({ error: "path is required" }).min(1, "path is required"),
  prompt: z.string({ error: "prompt is required" }),
  // Checked per item by core's request schema, so that every bad item is reported at once.
  model: z.string().optional(),
  size: z.string().optional(),
  quality: z.string().optional(),
  watermark: z.boolean({ error: "watermark must be true or false" }).optional(),
  // A dark-mode variant beside the image: the same request with a dark-theme prompt, or its own.
  dark: z
    .union([z.literal(true), z.strictObject({ prompt: z.string().optional() })], {
      error: "dark must be true or {prompt: ...}",
    })
    .optional(),
};
const knownKeys = Object.keys(itemShape);

export const manifestSchema = z
  .array(
    z.strictObject(itemShape, {
      error: (issue) => {
        if (issue.code === "unrecognized_keys") {
          return issue.keys
            .map((key) => {
              const guess = nearest(key, knownKeys);
              return `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`;
            })
            .join(", ");
        }
        return "each item must be a mapping {path, prompt, model?, size?, quality?, watermark?, dark?}";
      },
    }),
    {
      error:
        "the manifest must be a list of {path, prompt, model?, size?, quality?, watermark?, dark?}",
    },
  )
  .min(1, "the manifest lists no image");

export type ManifestEntry = z.infer<typeof manifestSchema>[number];

/**
 * The manifest input is either the list itself (YAML or JSON, which YAML reads too) or the path of
 * a file in the workspace that holds it (read only when its real path is inside too).
 */
export async function readManifest(input: string, workspace: string): Promise<ManifestEntry[]> {
  const inline = input.includes("\n") || /^\s*[[{-]/.test(input);
  const text = inline
    ? input
    : await readFile((await confineReal(workspace, input, "manifest")).absolute, "utf8").catch(
        (error: Error) => {
          throw new Error(`Cannot read the manifest ${input}: ${error.message}`);
        },
      );
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`The manifest is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return parseOrThrow(manifestSchema, data, "manifest", "item");
}
