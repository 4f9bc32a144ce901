import type {
  BudgetLimits,
  Charge,
  RateLimiter,
  SpendBudget,
  TenantUsage,
} from "../../domain/ports.ts";
import { noUsage, paidTotal, withCachedHit, withPaid } from "../../domain/usage-count.ts";
import type { Kv, KvKey } from "./kv-types.ts";

/**
 * Adds one to a counter unless it has reached `limit`, atomically across isolates: a read, then a
 * commit that checks the versionstamp it read (retried when another isolate wrote in between).
 */
async function takeOne(kv: Kv, key: KvKey, limit: number, expireIn: number): Promise<boolean> {
  for (;;) {
    const entry = await kv.get<number>(key);
    const used = entry.value ?? 0;
    if (used >= limit) return false;
    const committed = await kv
      .atomic()
      .check({ key, versionstamp: entry.versionstamp })
      .set(key, used + 1, { expireIn })
      .commit();
    if (committed.ok) return true;
  }
}

/** A fixed window per key in Deno KV (`["rate", name, key, window]`), shared by every isolate. */
export function kvRateLimiter(
  kv: Kv,
  name: string,
  limit: number,
  periodMs: number,
  now: () => number = Date.now,
): RateLimiter {
  return {
    limit: (key) =>
      takeOne(kv, ["rate", name, key, Math.floor(now() / periodMs)], limit, periodMs * 2),
  };
}

const TWO_DAYS_MS = 2 * 24 * 60 * 60_000;
/** Usage is reported for today; a week of it is kept. */
const WEEK_MS = 7 * 24 * 60 * 60_000;

const serviceKey = (day: string) => ["budget", day] as const;
const usageKey = (day: string, tenant: string) => ["usage", day, tenant] as const;

/**
 * The daily budgets in Deno KV, shared by every isolate: the service's count (`["budget", day]`)
 * and each tenant's usage (`["usage", day, tenant]`). A charge changes both in one commit that
 * checks the versionstamps it read (retried when another isolate wrote in between): it is in both
 * budgets or in neither.
 */
export function kvBudget(kv: Kv): SpendBudget {
  /** Reads the tenant's usage (and the service's count when it has a limit), changes, commits. */
  async function change(
    day: string,
    { tenant, model }: Charge,
    limits: BudgetLimits,
    step: 1 | -1,
  ): Promise<"taken" | "tenant" | "service"> {
    for (;;) {
      const [usage, service] = await Promise.all([
        kv.get<TenantUsage>(usageKey(day, tenant)),
        limits.service === undefined ? undefined : kv.get<number>(serviceKey(day)),
      ]);
      const current = usage.value ?? noUsage();
      const used = service?.value ?? 0;
      if (step === 1 && limits.tenant !== undefined && paidTotal(current) >= limits.tenant) {
        return "tenant";
      }
      if (step === 1 && limits.service !== undefined && used >= limits.service) return "service";
      const commit = kv
        .atomic()
        .check({ key: usageKey(day, tenant), versionstamp: usage.versionstamp })
        .set(usageKey(day, tenant), withPaid(current, model, step), { expireIn: WEEK_MS });
      if (service) {
        commit
          .check({ key: serviceKey(day), versionstamp: service.versionstamp })
          .set(serviceKey(day), Math.max(0, used + step), { expireIn: TWO_DAYS_MS });
      }
      if ((await commit.commit()).ok) return "taken";
    }
  }
  return {
    take: (day, charge, limits) => change(day, charge, limits, 1),
    refund: async (day, charge, limits) => void (await change(day, charge, limits, -1)),
    async countCached(day, tenant) {
      for (;;) {
        const usage = await kv.get<TenantUsage>(usageKey(day, tenant));
        const committed = await kv
          .atomic()
          .check({ key: usageKey(day, tenant), versionstamp: usage.versionstamp })
          .set(usageKey(day, tenant), withCachedHit(usage.value ?? noUsage()), {
            expireIn: WEEK_MS,
          })
          .commit();
        if (committed.ok) return;
      }
    },
    usage: (day, tenants) =>
      Promise.all(
        tenants.map(
          async (tenant) => (await kv.get<TenantUsage>(usageKey(day, tenant))).value ?? noUsage(),
        ),
      ),
  };
}
