import type { GenerationOutcome } from "./ports.ts";

/**
 * The outcome as a job that joined another's generation gets it: the image, not the payment (its
 * tenant did not pay, so the image counts as a cached hit of its).
 */
export function asJoiner(outcome: GenerationOutcome): GenerationOutcome {
  if (!outcome.ok || !outcome.stored || !outcome.paid) return outcome;
  const { paid: _paid, ...joined } = outcome;
  return joined;
}
