import { forgetEntry } from "../../domain/forget-entry.ts";
import { releaseImage } from "../../domain/ownership.ts";
import type { Coordinator, GenerationOutcome } from "../../domain/ports.ts";
import { type GenerationDeps, produceImage } from "../../domain/produce-image.ts";
import { keyedQueue } from "../../domain/serial.ts";
import { asJoiner } from "../../domain/single-flight.ts";

/**
 * Single flight within one process (Deno without KV): a map of in-flight generations by key, and a
 * queue per key that runs a generation and the key's ownership changes one at a time. The
 * journal, budget and idempotency bindings are whatever the entry gives (objects in the bucket, so
 * they survive a restart). Not for serverless hosts, where many isolates run at once.
 */
export function inProcessCoordinator(
  deps: GenerationDeps,
  claim: Coordinator["claim"],
): Coordinator {
  const inFlight = new Map<string, Promise<GenerationOutcome>>();
  const serially = keyedQueue();
  return {
    generate(job) {
      const pending = inFlight.get(job.key);
      if (pending) return pending.then(asJoiner);
      const flight = serially(job.key, () => produceImage(job, deps)).finally(() =>
        inFlight.delete(job.key),
      );
      inFlight.set(job.key, flight);
      return flight;
    },
    claim,
    own: (key, tenant) => serially(key, () => deps.store.addOwner(key, tenant)),
    release: (key, tenant) => serially(key, () => releaseImage(deps, key, tenant)),
    forget: (key, tenant) => serially(key, () => forgetEntry(deps.journal, key, tenant)),
  };
}
