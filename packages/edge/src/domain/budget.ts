import { GlmImageError } from "@glm-image/core";
import { ADMINS } from "./tenants.ts";

/** The UTC day of a time, as budgets and usage are counted: `2026-07-01`. */
export const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * 429 budget_exceeded until the next UTC day, naming whose budget is spent: the service's
 * (`tenant` undefined) or a tenant's.
 */
export function budgetExceeded(now: number, tenant: string | undefined, limit: number) {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  const whose =
    tenant === undefined
      ? "The service's budget"
      : tenant === ADMINS
        ? "The admins' budget (render URLs signed without a tenant)"
        : `Tenant "${tenant}"'s budget`;
  return new GlmImageError(
    "budget_exceeded",
    `${whose} of ${limit} new images a day is spent; stored images are still served. New images can be made again after midnight UTC`,
    { retryAfterMs: midnight.getTime() - now },
  );
}
