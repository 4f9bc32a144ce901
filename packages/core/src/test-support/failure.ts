import assert from "node:assert/strict";
import { GlmImageError } from "../errors.ts";

/** The GlmImageError a promise rejects with; fails the test when it resolves or throws another. */
export async function failure(promise: Promise<unknown>): Promise<GlmImageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GlmImageError, String(error));
    return error;
  }
  assert.fail("expected a failure");
}
