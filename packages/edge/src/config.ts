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
