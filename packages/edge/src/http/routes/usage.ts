import { GlmImageError } from "@glm-image/core";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { utcDay } from "../../domain/budget.ts";
import { everyTenant, usageReports } from "../../domain/usage.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { errorAnswers, jsonAnswer, tokenErrors, usageSchema } from "../wire/schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/usage",
  summary: "Today's paid generations, cached hits and estimated cost of the caller",
  description:
    "Counted per tenant per UTC day, durably. A tenant gets its own usage; an admin every tenant's. Render URLs are signed for the tenant that minted them, so their views count against it.",
  security: [{ bearer: [] }],
  responses: {
    200: jsonAnswer("The usage", usageSchema),
    ...errorAnswers({
      ...tokenErrors,
      404: "`not_found`: this service keeps no usage",
    }),
  },
});

export function registerUsage(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (context) => {
    const budget = deps.budget;
    if (!budget) throw new GlmImageError("not_found", "This service keeps no usage");
    const tenant = context.get("tenant");
    const day = utcDay(Date.now());
    const tenants = tenant.admin ? everyTenant(deps.config) : [tenant.name];
    const data = await usageReports(budget, deps.config, day, tenants);
    return context.json(
      { object: "usage" as const, day, tenant: tenant.name, admin: tenant.admin, data },
      200,
    );
  });
}
