import { timingSafeEqualText } from "@glm-image/core";
import type { MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";

async function tokenId(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 8), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * Bearer tokens from API_TOKENS, compared in constant time against every configured token; then
 * the token's rate budget. Sets `tokenId`, a short hash that logs and keys may show.
 */
export function bearerAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const header = context.req.header("authorization") ?? "";
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    let matched = false;
    for (const candidate of deps.config.API_TOKENS) {
      matched = timingSafeEqualText(candidate, token) || matched;
    }
    if (!token || !matched) {
      throw new ApiError(
        "unauthorized",
        token ? "Unknown bearer token" : "Send Authorization: Bearer <token>",
        { headers: { "www-authenticate": 'Bearer realm="glm-image"' } },
      );
    }
    const id = await tokenId(token);
    context.set("tokenId", id);
    if (deps.rateLimiter && !(await deps.rateLimiter.limit(id))) {
      throw new ApiError("rate_limit_exceeded", "Too many requests for this token; slow down", {
        headers: { "retry-after": "60" },
      });
    }
    await next();
  };
}
