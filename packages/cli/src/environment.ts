import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import * as z from "zod";
import { UsageError } from "./options.ts";

const httpUrl = (name: string, example: string) =>
  z
    .url({
      protocol: /^https?$/,
      error: (issue) =>
        `${name} must be an http(s) URL with its scheme, such as ${example}; it is ${JSON.stringify(issue.input)}`,
    })
    .optional();

/** An empty variable is an unset one, as shells make it easy to write `NAME=`. */
const setting = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const environmentSchema = z.object({
  ZHIPU_API_KEY: setting,
  ZHIPU_BASE_URL: setting.pipe(
    httpUrl(
      "ZHIPU_BASE_URL",
      "https://open.bigmodel.cn/api/paas/v4 or http://127.0.0.1:4010/api/paas/v4",
    ),
  ),
  GLM_IMAGE_EDGE_URL: setting.pipe(
    httpUrl("GLM_IMAGE_EDGE_URL", "https://glm-image.example.workers.dev"),
  ),
  GLM_IMAGE_EDGE_TOKEN: setting,
  SIGNING_SECRET: setting,
  XDG_STATE_HOME: setting,
  HOME: setting,
});

/** What the CLI takes from its environment, read and checked in this one place. */
export interface Environment {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  edgeUrl: string | undefined;
  edgeToken: string | undefined;
  signingSecret: string | undefined;
  /**
   * The journal of paid work: `$XDG_STATE_HOME/glm-image/journal`, or
   * `~/.local/state/glm-image/journal` (the XDG default; a relative XDG_STATE_HOME is ignored,
   * as the XDG spec says), so a command run again from any folder finds what it paid for.
   */
  journalFolder: string;
  /** Where `glm-image mcp` saves images without --out-dir: the state folder's `images`. */
  imagesFolder: string;
}

/** Reads the environment; a setting that cannot work is a UsageError naming it (exit 2). */
export function readEnvironment(env: Record<string, string | undefined>): Environment {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    throw new UsageError(result.error.issues.map((issue) => issue.message).join("; "));
  }
  const values = result.data;
  const stateHome =
    values.XDG_STATE_HOME && isAbsolute(values.XDG_STATE_HOME)
      ? values.XDG_STATE_HOME
      : join(values.HOME ?? homedir(), ".local", "state");
  return {
    apiKey: values.ZHIPU_API_KEY,
    baseUrl: values.ZHIPU_BASE_URL,
    edgeUrl: values.GLM_IMAGE_EDGE_URL,
    edgeToken: values.GLM_IMAGE_EDGE_TOKEN,
    signingSecret: values.SIGNING_SECRET,
    journalFolder: join(stateHome, "glm-image", "journal"),
    imagesFolder: join(stateHome, "glm-image", "images"),
  };
}
