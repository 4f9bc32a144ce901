import { GlmImageError } from "../errors.ts";

/** The GlmImageError a promise rejects with; fails the test when it resolves or throws another. */
export async function failure(promise: Promise<unknown>): Promise<GlmImageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GlmImageError) return error;
    throw new Error(`expected a GlmImageError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected a failure");
}
