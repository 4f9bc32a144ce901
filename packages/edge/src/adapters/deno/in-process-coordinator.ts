import { forgetEntry } from "../../domain/forget-entry.ts";
import type { Coordinator, GenerationOutcome } from "../../domain/ports.ts";
import { type GenerationDeps, produceImage } from "../../domain/produce-image.ts";

/**
 * Single flight within one process (Deno without KV): a map of in-flight generations by key. The
 * journal, budget and idempotency bindings are whatever the entry gives (objects in the bucket, so
 * they survive a restart). Not for serverless hosts, where many isolates run at once.
 */
export function inProcessCoordinator(
  deps: GenerationDeps,
  claim: Coordinator["claim"],
): Coordinator {
  const inFlight = new Map<string, Promise<GenerationOutcome>>();
  return {
    generate(job) {
      let pending = inFlight.get(job.key);
      if (!pending) {
        pending = produceImage(job, deps).finally(() => inFlight.delete(job.key));
        inFlight.set(job.key, pending);
      }
      return pending;
    },
    claim,
    forget: (key) => forgetEntry(deps.journal, key),
  };
}
