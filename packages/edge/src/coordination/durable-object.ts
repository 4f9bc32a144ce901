import { DurableObject } from "cloudflare:workers";
import { logger } from "../log.ts";
import type {
  Coordinator,
  GenerationJob,
  GenerationOutcome,
  Journal,
  RateLimiter,
  SpendBudget,
} from "../ports.ts";
import { forgetEntry } from "./journals.ts";

const BUDGET = "budget";

/**
 * One instance per content key (or idempotency key; one named "budget" keeps the daily count).
 * Workers run one request at a time per object between awaits, so the in-flight promise is checked
 * and set atomically: concurrent identical jobs share one generation. The journal lives in the
 * object's own storage, so a restarted object resumes the paid work it finds there. The generation
 * code loads on first use, not at start-up.
 */
export class GenerationCoordinator extends DurableObject<Env> {
  private inFlight: Promise<GenerationOutcome> | undefined;

  generate(job: GenerationJob): Promise<GenerationOutcome> {
    this.inFlight ??= this.run(job).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(job: GenerationJob): Promise<GenerationOutcome> {
    const [{ produceImage }, { readConfig }, { imageStore }, { r2Bucket }] = await Promise.all([
      import("../generation.ts"),
      import("../config.ts"),
      import("../storage/image-store.ts"),
      import("../storage/r2-bucket.ts"),
    ]);
    const config = readConfig(this.env);
    return produceImage(job, {
      store: imageStore(r2Bucket(this.env.IMAGES)),
      journal: this.journal(),
      budget: durableObjectBudget(this.env.GENERATIONS),
      clientLimiter: bindingRateLimiter(this.env.RENDER_RATE_LIMITER),
      config,
      log: logger(config.LOG_LEVEL),
    });
  }

  private journal(): Journal {
    const storage = this.ctx.storage;
    return {
      get: async (key) => (await storage.get(`journal:${key}`)) ?? null,
      set: (key, entry) => storage.put(`journal:${key}`, entry),
      delete: async (key) => void (await storage.delete(`journal:${key}`)),
    };
  }

  forget(key: string): Promise<boolean> {
    return forgetEntry(this.journal(), key);
  }

  async claim(contentKey: string): Promise<string> {
    const bound = await this.ctx.storage.get<string>("content-key");
    if (bound) return bound;
    await this.ctx.storage.put("content-key", contentKey);
    return contentKey;
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

/** The Workers rate limiting binding as a RateLimiter. */
export const bindingRateLimiter = (binding: RateLimit): RateLimiter => ({
  limit: async (key) => (await binding.limit({ key })).success,
});

function durableObjectBudget(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): SpendBudget {
  const budget = () => namespace.get(namespace.idFromName(BUDGET));
  return {
    take: (day, limit) => budget().takeBudget(day, limit),
    refund: (day) => budget().refundBudget(day),
  };
}

export function durableObjectCoordinator(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): Coordinator {
  const forKey = (key: string) => namespace.get(namespace.idFromName(`content:${key}`));
  return {
    generate: (job) => forKey(job.key).generate(job),
    claim: (idempotencyKey, contentKey) =>
      namespace.get(namespace.idFromName(`idempotency:${idempotencyKey}`)).claim(contentKey),
    forget: (key) => forKey(key).forget(key),
  };
}
