import type * as z from "zod";

/**
 * Parses with a zod schema, or throws one Error listing every issue, each named by its path:
 * `Invalid inputs: input concurrency: concurrency must be 1 to 16; ...`. List positions count
 * from 1, as people count: `item 1.prompt` is the first item's prompt.
 */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
  label: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) =>
    issue.path.length > 0
      ? `${label} ${issue.path.map((key) => (typeof key === "number" ? key + 1 : String(key))).join(".")}: ${issue.message}`
      : issue.message,
  );
  throw new Error(`Invalid ${what}: ${messages.join("; ")}`);
}
