import { DurableObject } from "cloudflare:workers";
import { forgetEntry } from "../../domain/forget-entry.ts";
import type {
  Coordinator,
  GenerationJob,
  GenerationOutcome,
  ImageMetadata,
  Journal,
  JournalEntry,
  RateLimiter,
  Release,
  SpendBudget,
  TenantUsage,
} from "../../domain/ports.ts";
import { serialQueue } from "../../domain/serial.ts";
import { asJoiner } from "../../domain/single-flight.ts";
import { noUsage, paidTotal, withCachedHit, withPaid } from "../../domain/usage-count.ts";
import { wiringFor } from "./wiring.ts";

/** The object of the service's daily budget (MAX_GENERATIONS_PER_DAY). */
const BUDGET = "budget";
/** The object of one tenant's budget and usage. */
const tenantBudget = (tenant: string) => `budget:${tenant}`;

const usageKey = (day: string) => `usage:${day}`;

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
 * One instance per content key (or idempotency key; one named "budget" keeps the service's daily
 * count, one per tenant, "budget:<tenant>", that tenant's budget and usage). Workers run one
 * request at a time per object between awaits, so the in-flight promise is checked and set
 * atomically: concurrent identical jobs share one generation. The generation and the key's
 * ownership changes (R2 read-modify-writes, which do interleave at their awaits) run one at a
 * time. The journal lives in the object's own storage, so a restarted object resumes the paid
 * work it finds there. A generation goes on when the requests waiting for it have answered
 * TIMEOUT (`ctx.waitUntil`: pending work keeps the object alive), and the next request joins it.
 * The wiring is the Worker's own (wiring.ts), built once per isolate; the generation code loads on
 * first use.
 */
export class GenerationCoordinator extends DurableObject<Env> {
  private inFlight: Promise<GenerationOutcome> | undefined;
  private readonly serially = serialQueue();

  generate(job: GenerationJob): Promise<GenerationOutcome> {
    if (this.inFlight) return this.inFlight.then(asJoiner);
    const flight = this.serially(() => this.run(job)).finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = flight;
    this.ctx.waitUntil(flight);
    return flight;
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

  own(key: string, tenant: string): Promise<ImageMetadata | null> {
    return this.serially(async () => (await wiringFor(this.env)).store.addOwner(key, tenant));
  }

  release(key: string, tenant?: string): Promise<Release> {
    return this.serially(async () => {
      const [{ releaseImage }, { store }] = await Promise.all([
        import("../../domain/ownership.ts"),
        wiringFor(this.env),
      ]);
      return releaseImage({ store, journal: this.journal() }, key, tenant);
    });
  }

  /** Forgets the key's journal entry when it is `tenant`'s (any, for an admin). */
  forget(key: string, tenant?: string): Promise<boolean> {
    return this.serially(() => forgetEntry(this.journal(), key, tenant));
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

  /** On a tenant's object: its usage of the day. */
  async usageOn(day: string): Promise<TenantUsage> {
    return (await this.ctx.storage.get<TenantUsage>(usageKey(day))) ?? noUsage();
  }

  /**
   * On a tenant's object: takes one of its generations of the day, if its limit leaves one. Only
   * storage calls await in between (the object's input gate holds other requests meanwhile), so
   * the read and the write are one step.
   */
  async takeTenantBudget(day: string, model: string, limit?: number): Promise<boolean> {
    const usage = await this.usageOn(day);
    if (limit !== undefined && paidTotal(usage) >= limit) return false;
    await this.ctx.storage.put(usageKey(day), withPaid(usage, model, 1));
    return true;
  }

  async refundTenantBudget(day: string, model: string): Promise<void> {
    const usage = await this.usageOn(day);
    await this.ctx.storage.put(usageKey(day), withPaid(usage, model, -1));
  }

  async countCached(day: string): Promise<void> {
    const usage = await this.usageOn(day);
    await this.ctx.storage.put(usageKey(day), withCachedHit(usage));
  }
}

const COORDINATOR = "coordinator (Durable Object)";

/** The Workers rate limiting binding as a RateLimiter. */
export const bindingRateLimiter = (binding: RateLimit): RateLimiter => ({
  limit: async (key) => (await binding.limit({ key })).success,
});

/**
 * The budgets as Durable Objects, one per budget: the tenant's is taken first, then the service's
 * (where MAX_GENERATIONS_PER_DAY is set); when the service's is spent the tenant's is given back,
 * so a charge is in both or in neither.
 */
export function durableObjectBudget(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): SpendBudget {
  const service = () => namespace.get(namespace.idFromName(BUDGET));
  const ofTenant = (tenant: string) => namespace.get(namespace.idFromName(tenantBudget(tenant)));
  return {
    async take(day, { tenant, model }, limits) {
      const tenantTaken = await asStorageFault(COORDINATOR, () =>
        ofTenant(tenant).takeTenantBudget(day, model, limits.tenant),
      );
      if (!tenantTaken) return "tenant";
      const serviceLimit = limits.service;
      if (
        serviceLimit !== undefined &&
        !(await asStorageFault(COORDINATOR, () => service().takeBudget(day, serviceLimit)))
      ) {
        await ofTenant(tenant).refundTenantBudget(day, model);
        return "service";
      }
      return "taken";
    },
    async refund(day, { tenant, model }, limits) {
      await ofTenant(tenant).refundTenantBudget(day, model);
      if (limits.service !== undefined) await service().refundBudget(day);
    },
    countCached: (day, tenant) => ofTenant(tenant).countCached(day),
    usage: (day, tenants) => Promise.all(tenants.map((tenant) => ofTenant(tenant).usageOn(day))),
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
    own: (key, tenant) => asStorageFault(COORDINATOR, () => forKey(key).own(key, tenant)),
    release: (key, tenant) =>
      asStorageFault(COORDINATOR, async (): Promise<Release> => forKey(key).release(key, tenant)),
    forget: (key, tenant) => asStorageFault(COORDINATOR, () => forKey(key).forget(key, tenant)),
  };
}
