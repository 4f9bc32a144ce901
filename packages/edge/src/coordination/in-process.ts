import type { GenerationDeps } from "../generation.ts";
import { generateAndStore } from "../generation.ts";
import type { Coordinator, GenerationOutcome } from "../ports.ts";

/** Single flight within one process (Deno): a map of in-flight generations by key. */
export function inProcessCoordinator(deps: GenerationDeps): Coordinator {
  const inFlight = new Map<string, Promise<GenerationOutcome>>();
  const claims = new Map<string, string>();
  return {
    generate(job) {
      let pending = inFlight.get(job.key);
      if (!pending) {
        pending = generateAndStore(job, deps).finally(() => inFlight.delete(job.key));
        inFlight.set(job.key, pending);
      }
      return pending;
    },
    async claim(idempotencyKey, contentKey) {
      const bound = claims.get(idempotencyKey);
      if (bound) return bound;
      claims.set(idempotencyKey, contentKey);
      return contentKey;
    },
  };
}
