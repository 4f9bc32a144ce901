import { GlmImageError } from "@glm-image/core";
import type { MiddlewareHandler } from "hono";
import { tenantOf } from "../../domain/tenants.ts";
import type { AppDeps, AppEnv } from "../deps.ts";

/**
 * Bearer tokens of API_TOKENS and ADMIN_TOKENS: the token's digest is compared in constant time
 * with every tenant's (config.ts computed those once); then the tenant's rate budget. Sets
 * `tenant`, whose name logs, keys and ownership use; the token itself goes no further.
 */
export function bearerAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const header = context.req.header("authorization") ?? "";
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    const tenant = token ? await tenantOf(deps.config.tenants, token) : undefined;
    if (!tenant) {
      throw new GlmImageError(
        "unauthorized",
        token ? "Unknown bearer token" : "Send Authorization: Bearer <token>",
      );
    }
    context.set("tenant", tenant);
    if (deps.rateLimiter && !(await deps.rateLimiter.limit(tenant.name))) {
      throw new GlmImageError(
        "rate_limit_exceeded",
        "Too many requests for this token; slow down",
        { retryable: true, retryAfterMs: 60_000 },
      );
    }
    await next();
  };
}
