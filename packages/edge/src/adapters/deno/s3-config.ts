import * as z from "zod";
import { invalidSettings } from "../../domain/config.ts";

// The Deno entry's S3 settings, apart from config.ts: the Worker loads that module whole (a
// dynamic import keeps every export), and has no use for these.
const S3_REQUIRED = [
  "S3_ENDPOINT",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
] as const;

/** Images in R2 (through its S3 API) or any S3-compatible store. */
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
