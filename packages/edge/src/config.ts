import { DEFAULT_BASE_URL } from "@glm-image/core";
import * as z from "zod";

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** The service's settings, from Worker bindings or Deno's environment. */
export const configSchema = z.object({
  ZHIPU_API_KEY: z.string().optional(),
  ZHIPU_BASE_URL: z.url().optional().default(DEFAULT_BASE_URL),
  /** Comma-separated bearer tokens accepted on the /v1 routes. */
  API_TOKENS: list,
  /** HMAC key of /render URLs; without it /render is off. */
  SIGNING_SECRET: z.string().min(16, "SIGNING_SECRET must be at least 16 characters").optional(),
  /** Origin for absolute URLs, e.g. https://images.example.com; the request's own otherwise. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Comma-separated origins allowed by CORS, or *. */
  ALLOWED_ORIGINS: list,
  /** New (paid) generations allowed per UTC day for the whole service; unset: no cap. */
  MAX_GENERATIONS_PER_DAY: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number()
      .int()
      .positive("MAX_GENERATIONS_PER_DAY must be a whole number above 0")
      .optional(),
  ),
});

export type EdgeConfig = z.infer<typeof configSchema>;

const invalidSettings = (error: z.ZodError) =>
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

const S3_REQUIRED = [
  "S3_ENDPOINT",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
] as const;

/**
 * The Deno entry's S3 settings: images in R2 (through its S3 API) or any S3-compatible store. Made
 * on use, so that the Worker's bundle, which imports this module too, does not build it.
 */
const s3ConfigSchema = () =>
  z.object({
    /** e.g. https://<account>.r2.cloudflarestorage.com */
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "S3_ENDPOINT must be an http(s) URL" }),
    S3_BUCKET: z.string().min(1),
    S3_ACCESS_KEY_ID: z.string().min(1),
    S3_SECRET_ACCESS_KEY: z.string().min(1),
    /** `auto` for R2. */
    S3_REGION: z.string().min(1).optional().default("auto"),
  });

export type S3Config = z.infer<ReturnType<typeof s3ConfigSchema>>;

/**
 * The S3 settings when they are set, undefined when none is: all or none, and a start-up error
 * naming what is missing otherwise. Messages name settings, never their values.
 */
export function readS3Config(
  environment: Record<string, string | undefined>,
): S3Config | undefined {
  const given = S3_REQUIRED.filter((name) => (environment[name] ?? "") !== "");
  if (given.length === 0) return undefined;
  const missing = S3_REQUIRED.filter((name) => !given.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `Invalid settings: S3 storage needs all of ${S3_REQUIRED.join(", ")}; missing ${missing.join(", ")}`,
    );
  }
  const result = s3ConfigSchema().safeParse({
    ...environment,
    S3_REGION: environment.S3_REGION || undefined,
  });
  if (!result.success) {
    throw invalidSettings(result.error);
  }
  return result.data;
}
