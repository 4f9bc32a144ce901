import type { Coordinator, RateLimiter, SpendBudget } from "../ports.ts";
import { guarded } from "../storage-fault.ts";
import type { GenerationCoordinator } from "./durable-object.ts";

const BUDGET = "budget";
const PART = "coordinator (Durable Object)";

/** The Workers rate limiting binding as a RateLimiter. */
export const bindingRateLimiter = (binding: RateLimit): RateLimiter => ({
  limit: async (key) => (await binding.limit({ key })).success,
});

/** The daily budget, counted by the one object named "budget". */
export function durableObjectBudget(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): SpendBudget {
  const budget = () => namespace.get(namespace.idFromName(BUDGET));
  return {
    take: (day, limit) => guarded(PART, () => budget().takeBudget(day, limit)),
    refund: (day) => guarded(PART, () => budget().refundBudget(day)),
  };
}

/**
 * The coordinator on Workers: one object per content key, one per idempotency key. A call that
 * fails (the object was reset or is overloaded, its storage failed) is storage_unavailable: what
 * the object was doing is in its journal, and the next request resumes it.
 */
export function durableObjectCoordinator(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): Coordinator {
  const forKey = (key: string) => namespace.get(namespace.idFromName(`content:${key}`));
  return {
    generate: (job) => guarded(PART, () => forKey(job.key).generate(job)),
    claim: (idempotencyKey, digest) =>
      guarded(PART, () =>
        namespace.get(namespace.idFromName(`idempotency:${idempotencyKey}`)).claim(digest),
      ),
    forget: (key) => guarded(PART, () => forKey(key).forget(key)),
  };
}
