import { DurableObject } from "cloudflare:workers";
import { logger } from "../log.ts";
import type { GenerationJob, GenerationOutcome, Journal, JournalEntry } from "../ports.ts";
import type { guarded as Guarded } from "../storage-fault.ts";

/** Where an idempotency key's object keeps the digest of the request it was first used with. */
const BOUND_REQUEST = "request";

/**
 * One instance per content key (or idempotency key; one named "budget" keeps the daily count).
 * Workers run one request at a time per object between awaits, so the in-flight promise is checked
 * and set atomically: concurrent identical jobs share one generation. The journal lives in the
 * object's own storage, so a restarted object resumes the paid work it finds there. A generation
 * goes on when the requests waiting for it have answered TIMEOUT (`ctx.waitUntil`: pending work
 * keeps the object alive), and the next request joins it. The generation code loads on first use,
 * not at start-up (this module is in the Worker's start-up path; the client side is in
 * durable-object-client.ts).
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
    const [
      { produceImage },
      { readConfig },
      { imageStore },
      { r2Bucket },
      { guardedBucket },
      { guarded },
      client,
    ] = await Promise.all([
      import("../generation.ts"),
      import("../config.ts"),
      import("../storage/image-store.ts"),
      import("../storage/r2-bucket.ts"),
      import("../storage/guarded-bucket.ts"),
      import("../storage-fault.ts"),
      import("./durable-object-client.ts"),
    ]);
    const config = readConfig(this.env);
    return produceImage(job, {
      store: imageStore(guardedBucket(r2Bucket(this.env.IMAGES))),
      journal: this.journal(guarded),
      budget: client.durableObjectBudget(this.env.GENERATIONS),
      clientLimiter: client.bindingRateLimiter(this.env.RENDER_RATE_LIMITER),
      config,
      log: logger(config.LOG_LEVEL),
    });
  }

  /** The journal in this object's storage; a storage failure is storage_unavailable. */
  private journal(guarded: typeof Guarded): Journal {
    const storage = this.ctx.storage;
    const part = "journal (Durable Object storage)";
    return {
      get: (key) =>
        guarded(part, async () => (await storage.get<JournalEntry>(`journal:${key}`)) ?? null),
      set: (key, entry) => guarded(part, () => storage.put(`journal:${key}`, entry)),
      delete: (key) => guarded(part, async () => void (await storage.delete(`journal:${key}`))),
    };
  }

  async forget(key: string): Promise<void> {
    await this.ctx.storage.delete(`journal:${key}`);
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
