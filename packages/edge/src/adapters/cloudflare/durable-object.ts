import { DurableObject } from "cloudflare:workers";
import { forgetEntry } from "../../domain/forget-entry.ts";
import type {
  Coordinator,
  GenerationJob,
  GenerationOutcome,
  Journal,
  JournalEntry,
  RateLimiter,
  SpendBudget,
} from "../../domain/ports.ts";
import { wiringFor } from "./wiring.ts";

const BUDGET = "budget";
/** Where an idempotency key's object keeps the digest of the request it was first used with. */
const BOUND_REQUEST = "request";

/**
 * Runs a call to an object or to its storage; a failure (the object was reset or is overloaded,
 * its storage failed) is storage_unavailable. The error module (and core with it) loads only then:
 * this module is in the Worker's start-up path.
 */
async function asStorageFault<T>(part: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { storageUnavailable } = await import("../../domain/storage-fault.ts");
    throw storageUnavailable(part, error);
  }
}

/**
 * One instance per content key (or idempotency key; one named "budget" keeps the daily count).
 * Workers run one request at a time per object between awaits, so the in-flight promise is checked
 * and set atomically: concurrent identical jobs share one generation. The journal lives in the
 * object's own storage, so a restarted object resumes the paid work it finds there. A generation
 * goes on when the requests waiting for it have answered TIMEOUT (`ctx.waitUntil`: pending work
 * keeps the object alive), and the next request joins it. The wiring is the Worker's own
 * (wiring.ts), built once per isolate; the generation code loads on first use.
 */
export class GenerationCoordinator extends DurableObject<Env> {
  private inFlight: Promise<GenerationOutcome> | undefined;

  generate(job: GenerationJob): Promise<GenerationOutcome> {
    if (!this.inFlight) {
      this.inFlight = this.run(job).finally(() => {
        this.inFlight = undefined;
      });
      this.ctx.waitUntil(this.inFlight);
    }
    return this.inFlight;
  }

  private async run(job: GenerationJob): Promise<GenerationOutcome> {
    const [{ produceImage }, wiring] = await Promise.all([
      import("../../domain/produce-image.ts"),
      wiringFor(this.env),
    ]);
    return produceImage(job, {
      ...wiring,
      journal: this.journal(),
      budget: durableObjectBudget(this.env.GENERATIONS),
      clientLimiter: bindingRateLimiter(this.env.RENDER_RATE_LIMITER),
    });
  }

  /** The journal in this object's storage; a storage failure is storage_unavailable. */
  private journal(): Journal {
    const storage = this.ctx.storage;
    const part = "journal (Durable Object storage)";
    return {
      get: (key) =>
        asStorageFault(
          part,
          async () => (await storage.get<JournalEntry>(`journal:${key}`)) ?? null,
        ),
      set: (key, entry) => asStorageFault(part, () => storage.put(`journal:${key}`, entry)),
      delete: (key) =>
        asStorageFault(part, async () => void (await storage.delete(`journal:${key}`))),
    };
  }

  forget(key: string): Promise<boolean> {
    return forgetEntry(this.journal(), key);
  }

  /** On an idempotency key's object: binds it to a request's digest once; answers the first. */
  async claim(digest: string): Promise<string> {
    const bound = await this.ctx.storage.get<string>(BOUND_REQUEST);
    if (bound) return bound;
    await this.ctx.storage.put(BOUND_REQUEST, digest);
    return digest;
  }

  /** On the "budget" object: takes one of today's generations, if any are left. */
  async takeBudget(day: string, limit: number): Promise<boolean> {
    const used = (await this.ctx.storage.get<number>(`day:${day}`)) ?? 0;
    if (used >= limit) return false;
    await this.ctx.storage.put(`day:${day}`, used + 1);
    return true;
  }

  async refundBudget(day: string): Promise<void> {
    const used = (await this.ctx.storage.get<number>(`day:${day}`)) ?? 0;
    if (used > 0) await this.ctx.storage.put(`day:${day}`, used - 1);
  }
}

const COORDINATOR = "coordinator (Durable Object)";

/** The Workers rate limiting binding as a RateLimiter. */
export const bindingRateLimiter = (binding: RateLimit): RateLimiter => ({
  limit: async (key) => (await binding.limit({ key })).success,
});

function durableObjectBudget(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): SpendBudget {
  const budget = () => namespace.get(namespace.idFromName(BUDGET));
  return {
    take: (day, limit) => asStorageFault(COORDINATOR, () => budget().takeBudget(day, limit)),
    refund: (day) => asStorageFault(COORDINATOR, () => budget().refundBudget(day)),
  };
}

/**
 * The coordinator on Workers: one object per content key, one per idempotency key. A call that
 * fails is storage_unavailable: what the object was doing is in its journal, and the next request
 * resumes it.
 */
export function durableObjectCoordinator(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): Coordinator {
  const forKey = (key: string) => namespace.get(namespace.idFromName(`content:${key}`));
  return {
    generate: (job) => asStorageFault(COORDINATOR, () => forKey(job.key).generate(job)),
    claim: (idempotencyKey, digest) =>
      asStorageFault(COORDINATOR, () =>
        namespace.get(namespace.idFromName(`idempotency:${idempotencyKey}`)).claim(digest),
      ),
    forget: (key) => asStorageFault(COORDINATOR, () => forKey(key).forget(key)),
  };
}
