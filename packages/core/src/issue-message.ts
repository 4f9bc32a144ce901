import type * as z from "zod";

/** zod's own English messages start so; a schema's custom messages (ours) are kept as written. */
const zodDefault = /^(Invalid (input|option|string|format)|Too (big|small)|Unrecognized key)/;

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const typeNames: Record<string, string> = { int: "integer" };

/**
 * One zod issue as a sentence in the house style (the CLI's: `Unknown model "dalle"; use one of:
 * ...`): the field first, then what it must be. Messages written by a schema are kept.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".");
  // zod keeps no input in an issue unless asked; a missing field is "received undefined".
  const missing = issue.input === undefined && / received undefined$/.test(issue.message);
  if (issue.code === "invalid_type" && missing) return `${field} is required`;
  if (!zodDefault.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `${field} must be ${article(typeNames[issue.expected] ?? issue.expected)}`;
    case "invalid_value":
      return `${field} must be one of: ${issue.values.map(String).join(", ")}`;
    case "too_big":
      return `${field} must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters" : ""}`;
    case "too_small":
      return `${field} must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters" : ""}`;
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""} in ${field}: ${issue.keys.join(", ")}`;
    default:
      return `${field} is not valid`;
  }
}
