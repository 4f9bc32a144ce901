import type { Context } from "hono";

/** A header name as HTTP allows it (RFC 9110's token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Who is asking, for the per-client limit of /render misses. Without a header named, the
 * connection's address (`deno serve` hands it to the app as `env.remoteAddr`): right on Deno
 * Deploy and for a server in the open. Behind a proxy of one's own (Caddy, nginx, a tunnel)
 * every viewer would share the proxy's address and one window, so `CLIENT_IP_HEADER` names the
 * header the proxy sets (`x-forwarded-for`: its first address; `x-real-ip`, `cf-connecting-ip`).
 * Only name a header the proxy always overwrites: a client could otherwise set it.
 */
export function clientAddressOf(header: string | undefined): (context: Context) => string {
  const name = header?.trim();
  if (name && !HEADER_NAME.test(name)) {
    throw new Error(
      `CLIENT_IP_HEADER must be a header name, such as x-forwarded-for; it is ${JSON.stringify(header)}`,
    );
  }
  return (context) => {
    const forwarded = name ? context.req.header(name)?.split(",")[0]?.trim() : undefined;
    if (forwarded) return forwarded;
    const info = context.env as { remoteAddr?: { hostname?: string } } | undefined;
    return info?.remoteAddr?.hostname ?? "unknown";
  };
}
