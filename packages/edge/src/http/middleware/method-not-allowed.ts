import { GlmImageError } from "@glm-image/core";
import type { Hono, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.ts";

interface RoutePattern {
  pattern: RegExp;
  isStatic: boolean;
  method: string;
}

function patternsOf(app: Hono<never>): RoutePattern[] {
  return app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => ({
      pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+")}$`),
      isStatic: !route.path.includes(":"),
      method: route.method,
    }));
}

/**
 * 405 with Allow for a known path asked with another method. A path that a route names exactly
 * (POST /v1/images/generations) is judged by those routes only, not by a pattern that would also
 * take it (GET /v1/images/{key}).
 */
export function methodNotAllowed(app: Hono<never>): MiddlewareHandler {
  let patterns: RoutePattern[] | undefined;
  return async (context, next) => {
    patterns ??= patternsOf(app);
    const path = context.req.path;
    const matching = patterns.filter((route) => route.pattern.test(path));
    const exact = matching.filter((route) => route.isStatic);
    const methods = new Set((exact.length > 0 ? exact : matching).map((route) => route.method));
    if (methods.has("GET")) methods.add("HEAD");
    if (methods.size > 0 && !methods.has(context.req.method) && context.req.method !== "OPTIONS") {
      const allow = [...methods].sort().join(", ");
      const error = new GlmImageError(
        "method_not_allowed",
        `${context.req.method} is not allowed on ${path}; use ${allow}`,
      );
      return errorResponse(context, error, { allow });
    }
    await next();
  };
}
