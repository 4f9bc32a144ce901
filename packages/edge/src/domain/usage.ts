import { estimateCost, type ModelName, modelNames, type Price } from "@glm-image/core";
import type { EdgeConfig } from "./config.ts";
import type { SpendBudget } from "./ports.ts";
import { ADMINS, dailyLimitOf } from "./tenants.ts";
import { noUsage, paidTotal } from "./usage-count.ts";

/** One tenant's day, as GET /v1/usage reports it. */
export interface UsageReport {
  tenant: string;
  paid_generations: number;
  /** Paid generations by model. */
  by_model: Record<string, number>;
  cached_hits: number;
  /** The list price of the paid generations (core's price table). */
  estimated_cost: Price;
  /** The tenant's budget of new images for the day; null: no cap of its own. */
  daily_limit: number | null;
}

const isModelName = (name: string): name is ModelName =>
  (modelNames as readonly string[]).includes(name);

/** The tenants an admin sees in the usage: every configured one, and the admins' render URLs. */
export const everyTenant = (config: EdgeConfig) => [
  ...config.tenants.map((tenant) => tenant.name),
  ADMINS,
];

/** Today's usage of the tenants named, with the estimated cost and the budget of each. */
export async function usageReports(
  budget: SpendBudget,
  config: EdgeConfig,
  day: string,
  tenants: readonly string[],
): Promise<UsageReport[]> {
  const usages = await budget.usage(day, tenants);
  return tenants.map((tenant, index) => {
    const usage = usages[index] ?? noUsage();
    const models = Object.entries(usage.paid).flatMap(([model, count]) =>
      isModelName(model) ? Array.from({ length: count }, () => model) : [],
    );
    return {
      tenant,
      paid_generations: paidTotal(usage),
      by_model: usage.paid,
      cached_hits: usage.cached,
      estimated_cost: estimateCost(models),
      daily_limit: dailyLimitOf(config.tenants, config.TENANT_GENERATIONS_PER_DAY, tenant) ?? null,
    };
  });
}
