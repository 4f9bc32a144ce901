import { type ErrorCode, type ErrorObject, GlmImageError } from "@glm-image/core";

type GlmImageErrorOptions = NonNullable<ConstructorParameters<typeof GlmImageError>[2]>;

/** Why an error with a contract code happened, where the code alone is too coarse. */
export type ErrorReason =
  /** A target (`--save`, `--out-dir`, a manifest path) that cannot be written; nothing was paid. */
  | "INVALID_PATH"
  /** A journal entry says an earlier upstream call may have charged, with no image to show. */
  | "PENDING_IN_JOURNAL"
  /** Another process is generating the same image right now. */
  | "IN_PROGRESS";

/** An error object with its reason and, where there is one, the journal entry it concerns. */
export type ReasonedErrorObject = ErrorObject & { reason: ErrorReason; journal_entry?: string };

/**
 * A contract error (its `code` stays one of the stable codes, as the seed's CLI has them) with a
 * `reason` in its JSON: an unwritable `--save` is `DOWNLOAD_FAILED` with `reason: INVALID_PATH`.
 */
export class ReasonedError extends GlmImageError {
  readonly reason: ErrorReason;
  readonly journalEntry: string | undefined;

  constructor(
    code: ErrorCode,
    reason: ErrorReason,
    message: string,
    options: GlmImageErrorOptions & { journalEntry?: string } = {},
  ) {
    super(code, message, options);
    this.reason = reason;
    this.journalEntry = options.journalEntry;
  }

  override toJSON(): ReasonedErrorObject {
    return {
      ...super.toJSON(),
      reason: this.reason,
      ...(this.journalEntry === undefined ? {} : { journal_entry: this.journalEntry }),
    };
  }
}

/** The reason of an error, when it has one. */
export const reasonOf = (error: unknown): ErrorReason | undefined =>
  error instanceof ReasonedError ? error.reason : undefined;
