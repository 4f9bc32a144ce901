import type { ModelName } from "./models.ts";

/** What one image costs, in Chinese yuan and in US dollars. */
export interface Price {
  cny: number;
  usd: number;
}

/**
 * List prices per generated image. Source: ZhiPu's pricing page (https://bigmodel.cn/pricing) and
 * Z.ai's (https://docs.z.ai/guides/overview/pricing), as read in 2026. cogview-4-250304 is a dated
 * snapshot of cogview-4 and is priced as cogview-4. Update this table when the pages change.
 */
export const PRICES_AS_OF = "2026";
export const prices: Readonly<Record<ModelName, Price>> = {
  "glm-image": { cny: 0.1, usd: 0.015 },
  "cogview-4": { cny: 0.06, usd: 0.01 },
  "cogview-4-250304": { cny: 0.06, usd: 0.01 },
  "cogview-3-flash": { cny: 0, usd: 0 },
};

/** The list price of generating one image of each model given (one entry per image). */
export function estimateCost(models: readonly ModelName[]): Price {
  // Summed in thousandths, so 3 x 0.1 is 0.3 and not 0.30000000000000004.
  const total = (currency: keyof Price) =>
    models.reduce((sum, model) => sum + Math.round(prices[model][currency] * 1000), 0) / 1000;
  return { cny: total("cny"), usd: total("usd") };
}
