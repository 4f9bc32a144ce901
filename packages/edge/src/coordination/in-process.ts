import { type GenerationDeps, produceImage } from "../generation.ts";
import type { Coordinator, GenerationOutcome } from "../ports.ts";

/**
 * Single flight within one process (Deno without KV): a map of in-flight generations by key. The
 * journal is whatever `deps` brings (objects in the bucket, so paid work survives a restart);
 * idempotency bindings live in memory. Not for serverless hosts, where many isolates run at once.
 */
export function inProcessCoordinator(deps: GenerationDeps): Coordinator {
  const inFlight = new Map<string, Promise<GenerationOutcome>>();
  const claims = new Map<string, string>();
  return {
    generate(job) {
      let pending = inFlight.get(job.key);
      if (!pending) {
        pending = produceImage(job, deps).finally(() => inFlight.delete(job.key));
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
    forget: (key) => deps.journal.delete(key),
  };
}
