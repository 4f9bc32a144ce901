import type { TenantUsage } from "./ports.ts";

// A tenant's usage of a day, counted the same way by every store of it (Durable Object storage,
// Deno KV, the bucket). No imports beyond types: the Durable Object loads this at start-up.

/** A day without usage. */
export const noUsage = (): TenantUsage => ({ paid: {}, cached: 0 });

/** The paid generations of a day, all models together. */
export const paidTotal = (usage: TenantUsage) =>
  Object.values(usage.paid).reduce((sum, count) => sum + count, 0);

/** The usage with `change` more (or fewer) paid generations of `model`. */
export function withPaid(usage: TenantUsage, model: string, change: 1 | -1): TenantUsage {
  const count = Math.max(0, (usage.paid[model] ?? 0) + change);
  return { ...usage, paid: { ...usage.paid, [model]: count } };
}

/** The usage with one more cached hit. */
export const withCachedHit = (usage: TenantUsage): TenantUsage => ({
  ...usage,
  cached: usage.cached + 1,
});
