import { DEFAULT_BASE_URL } from "@glm-image/core";
import * as z from "zod";
import { logLevels } from "./log.ts";

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/**
 * A setting where "" means unset: wrangler.toml declares every optional setting in [vars] with ""
 * as its default, so that `wrangler dev` passes it on (see the comment there).
 */
const emptyIsUnset = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);

/** A whole number of seconds, above 0; empty means the default. */
const seconds = (name: string, fallback: number) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: `${name} must be a whole number of seconds above 0` })
      .int(`${name} must be a whole number of seconds above 0`)
      .positive(`${name} must be a whole number of seconds above 0`)
      .default(fallback),
  );

/** The service's settings, from Worker bindings or Deno's environment. */
export const configSchema = z.object({
  ZHIPU_API_KEY: emptyIsUnset(z.string().optional()),
  ZHIPU_BASE_URL: emptyIsUnset(
    z
      .url("ZHIPU_BASE_URL must be a URL, e.g. https://api.z.ai/api/paas/v4")
      .default(DEFAULT_BASE_URL),
  ),
  /** Comma-separated bearer tokens accepted on the /v1 routes. */
  API_TOKENS: list,
  /** HMAC key of /render URLs; without it /render is off. */
  SIGNING_SECRET: emptyIsUnset(
    z.string().min(16, "SIGNING_SECRET must be at least 16 characters").optional(),
  ),
  /** Origin for absolute URLs, e.g. https://images.example.com; the request's own otherwise. */
  PUBLIC_BASE_URL: emptyIsUnset(
    z.url("PUBLIC_BASE_URL must be a URL, e.g. https://images.example.com").optional(),
  ),
  /** Comma-separated origins allowed by CORS, or *. */
  ALLOWED_ORIGINS: list,
  /** The least severe log entries written: info (default), warn or error. */
  LOG_LEVEL: emptyIsUnset(
    z
      .enum(logLevels, { error: `LOG_LEVEL must be one of: ${logLevels.join(", ")}` })
      .default("info"),
  ),
  /** New (paid) generations allowed per UTC day for the whole service; unset: no cap. */
  MAX_GENERATIONS_PER_DAY: emptyIsUnset(
    z.coerce
      .number()
      .int()
      .positive("MAX_GENERATIONS_PER_DAY must be a whole number above 0")
      .optional(),
  ),
  /**
   * How long a /render waits for its image before answering 503 TIMEOUT (an SVG placeholder) while
   * the generation goes on: image proxies such as GitHub's give up after a few seconds more.
   */
  RENDER_WAIT_SECONDS: seconds("RENDER_WAIT_SECONDS", 20),
  /** How long POST /v1/images/generations waits before answering 503 TIMEOUT, the work going on. */
  REQUEST_WAIT_SECONDS: seconds("REQUEST_WAIT_SECONDS", 120),
  /**
   * How long after it was submitted an upstream task that never finishes is given up: journaled as
   * `given_up`, answered as an error from then on, never asked for again (it may have been charged).
   */
  TASK_GIVE_UP_SECONDS: seconds("TASK_GIVE_UP_SECONDS", 1800),
});

export type EdgeConfig = z.infer<typeof configSchema>;

export const invalidSettings = (error: z.ZodError) =>
  new Error(
    `Invalid settings: ${error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
  );

export function readConfig(environment: object): EdgeConfig {
  const result = configSchema.safeParse(environment);
  if (!result.success) {
    throw invalidSettings(result.error);
  }
  return result.data;
}
