import type { RateLimiter } from "../../domain/ports.ts";

/** A fixed window per key, in memory: the Deno entry's stand-in for Workers' rate limiting. */
export function windowRateLimiter(
  limit: number,
  periodMs: number,
  now = () => Date.now(),
): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async limit(key) {
      const time = now();
      const window = windows.get(key);
      if (!window || time - window.start >= periodMs) {
        windows.set(key, { start: time, count: 1 });
        return true;
      }
      window.count++;
      return window.count <= limit;
    },
  };
}
