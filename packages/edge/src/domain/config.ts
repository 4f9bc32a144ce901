import { DEFAULT_BASE_URL } from "@glm-image/core";
import * as z from "zod";
import { logLevels } from "./log.ts";
import { parseTenants } from "./tenants.ts";

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** A whole number above 0, or unset (absent or empty). */
const positiveCount = (name: string) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().positive(`${name} must be a whole number above 0`).optional(),
  );

/** The settings as they are written, before the token entries are turned into tenants. */
const settingsSchema = z.object({
  ZHIPU_API_KEY: z.string().optional(),
  ZHIPU_BASE_URL: z.url().optional().default(DEFAULT_BASE_URL),
  /** Comma-separated token entries of the API's tenants (see tenants.ts). */
  API_TOKENS: list,
  /** Comma-separated token entries of the admins: every tenant's images and usage. */
  ADMIN_TOKENS: list,
  /** HMAC key of /render URLs; without it /render is off. */
  SIGNING_SECRET: z.string().min(16, "SIGNING_SECRET must be at least 16 characters").optional(),
  /** Origin for absolute URLs, e.g. https://images.example.com; the request's own otherwise. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Comma-separated origins allowed by CORS, or *. */
  ALLOWED_ORIGINS: list,
  /** The least severe log entries written: info (default), warn or error. */
  LOG_LEVEL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .enum(logLevels, { error: `LOG_LEVEL must be one of: ${logLevels.join(", ")}` })
      .default("info"),
  ),
  /** New (paid) generations allowed per UTC day for the whole service; unset: no cap. */
  MAX_GENERATIONS_PER_DAY: positiveCount("MAX_GENERATIONS_PER_DAY"),
  /** New (paid) generations allowed per UTC day for each tenant without its own (`name:token:N`). */
  TENANT_GENERATIONS_PER_DAY: positiveCount("TENANT_GENERATIONS_PER_DAY"),
});

/**
 * The service's settings, from Worker bindings or Deno's environment. The token entries become
 * `tenants` here, once (their SHA-256 digests are computed as the settings are read, once per
 * isolate or process); the tokens themselves are not kept.
 */
export const configSchema = settingsSchema.transform(async (settings, context) => {
  const { API_TOKENS, ADMIN_TOKENS, ...rest } = settings;
  try {
    return { ...rest, tenants: await parseTenants(API_TOKENS, ADMIN_TOKENS) };
  } catch (error) {
    // The message names the setting and the entry's position, never its token.
    context.addIssue({ code: "custom", message: (error as Error).message, path: [] });
    return z.NEVER;
  }
});

export type EdgeConfig = z.infer<typeof configSchema>;

export const invalidSettings = (error: z.ZodError) =>
  new Error(
    `Invalid settings: ${error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
      )
      .join("; ")}`,
  );

export async function readConfig(environment: object): Promise<EdgeConfig> {
  const result = await configSchema.safeParseAsync(environment);
  if (!result.success) {
    throw invalidSettings(result.error);
  }
  return result.data;
}
