import { type ErrorObject, GlmImageError } from "@glm-image/core";

/**
 * One deadline for a whole command (generation and download alike) joined with the user's
 * interruption, and the error each one amounts to.
 */
export function commandSignal(timeoutSeconds: number, interrupt: AbortSignal | undefined) {
  const deadline = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = interrupt ? AbortSignal.any([deadline, interrupt]) : deadline;
  /** The contract error for whatever stopped the command. */
  const classify = (error: unknown): GlmImageError => {
    if (interrupt?.aborted) {
      const reason = interrupt.reason instanceof Error ? interrupt.reason.message : "a signal";
      return new GlmImageError("INTERRUPTED", `Interrupted by ${reason}`, { cause: error });
    }
    if (deadline.aborted) {
      return new GlmImageError("TIMEOUT", `No answer within ${timeoutSeconds} s`, {
        cause: error,
      });
    }
    if (error instanceof GlmImageError) return error;
    throw error;
  };
  return { signal, classify };
}

/** A failure's error object, with what the journal keeps of its paid work said after it. */
export function withNote(failure: GlmImageError, note: string | undefined): ErrorObject {
  const error = failure.toJSON();
  return note ? { ...error, message: `${error.message.replace(/\.$/, "")}. ${note}` } : error;
}
