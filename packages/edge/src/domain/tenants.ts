import { timingSafeEqualText } from "@glm-image/core";

/**
 * A caller of the API: a named bearer token. Names appear in logs, usage and ownership; the token
 * itself is kept only as its SHA-256 digest, so no secret ever leaves this module.
 */
export interface Tenant {
  name: string;
  /** Hex SHA-256 of the token. */
  digest: string;
  admin: boolean;
  /** This tenant's own budget of new images a UTC day; the service's default otherwise. */
  dailyLimit?: number;
}

/** A token entry as written in API_TOKENS or ADMIN_TOKENS, parsed; the digest may be pending. */
interface TokenEntry {
  name: string | undefined;
  token?: string;
  digest?: string;
  dailyLimit?: number;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The admins as one owner: of the images stored before tenants existed (no owners recorded), and
 * of the render URLs signed without a tenant (their views spend this budget). No token entry can
 * take the name: a tenant's name never starts with "_".
 */
export const ADMINS = "_admins";

/** Whether `name` can be a tenant's (or is the admins'). */
export const isTenantName = (name: string) => name === ADMINS || namePattern.test(name);
const digestPattern = /^[0-9a-f]{64}$/;
const limitPattern = /^[0-9]{1,9}$/;

const encoder = new TextEncoder();

/** Hex SHA-256 of a text. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * One entry: `token` (named by a short hash of it), `name:token`, `name:token:N` (a daily budget
 * of N new images), `name:sha256:<hex>` or `name:sha256:<hex>:N` (the token kept hashed). Throws
 * an Error that names the entry by its position, never by its value.
 */
function parseEntry(entry: string, position: string): TokenEntry {
  const parts = entry.split(":");
  if (parts.length === 1) return { name: undefined, token: entry };
  const [name = "", ...rest] = parts;
  if (!namePattern.test(name)) {
    throw new Error(
      `${position}: the name before ":" must be 1 to 64 letters, digits, "_", "." or "-"`,
    );
  }
  let dailyLimit: number | undefined;
  const last = rest.at(-1) ?? "";
  if (rest.length > 1 && limitPattern.test(last)) {
    dailyLimit = Number(last);
    rest.pop();
  }
  const limit = dailyLimit === undefined ? {} : { dailyLimit };
  if (rest[0] === "sha256" && rest.length === 2) {
    const digest = rest[1]?.toLowerCase() ?? "";
    if (!digestPattern.test(digest)) {
      throw new Error(`${position}: a hashed token is name:sha256:<64 hex digits>`);
    }
    return { name, digest, ...limit };
  }
  const token = rest.join(":");
  if (token.length === 0) throw new Error(`${position}: the token after "${name}:" is empty`);
  return { name, token, ...limit };
}

/**
 * The tenants of API_TOKENS and ADMIN_TOKENS (comma-separated entries). A bare token is named by
 * the first 16 hex digits of its digest, as logs named tokens before names existed. Two entries
 * may not share a name or a token.
 */
export async function parseTenants(apiTokens: string[], adminTokens: string[]): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  const entries = [
    ...apiTokens.map((entry, index) => ({
      entry,
      admin: false,
      position: `API_TOKENS entry ${index + 1}`,
    })),
    ...adminTokens.map((entry, index) => ({
      entry,
      admin: true,
      position: `ADMIN_TOKENS entry ${index + 1}`,
    })),
  ];
  for (const { entry, admin, position } of entries) {
    const parsed = parseEntry(entry, position);
    const digest = parsed.digest ?? (await sha256Hex(parsed.token ?? ""));
    const name = parsed.name ?? digest.slice(0, 16);
    if (tenants.some((tenant) => tenant.name === name)) {
      throw new Error(`${position}: the name "${name}" is used twice`);
    }
    if (tenants.some((tenant) => tenant.digest === digest)) {
      throw new Error(`${position}: the same token is listed twice`);
    }
    tenants.push({
      name,
      digest,
      admin,
      ...(parsed.dailyLimit === undefined ? {} : { dailyLimit: parsed.dailyLimit }),
    });
  }
  return tenants;
}

/**
 * The tenant a presented bearer token belongs to, or undefined. Every digest is compared, in time
 * that does not depend on which one matches.
 */
export async function tenantOf(
  tenants: readonly Tenant[],
  token: string,
): Promise<Tenant | undefined> {
  const digest = await sha256Hex(token);
  let found: Tenant | undefined;
  for (const tenant of tenants) {
    if (timingSafeEqualText(tenant.digest, digest)) found ??= tenant;
  }
  return found;
}

/**
 * The daily budget of new images of the tenant named `name`: its own (`name:token:N`), else the
 * service's default for every tenant (TENANT_GENERATIONS_PER_DAY); undefined when neither is set.
 */
export function dailyLimitOf(
  tenants: readonly Tenant[],
  defaultLimit: number | undefined,
  name: string,
): number | undefined {
  return tenants.find((tenant) => tenant.name === name)?.dailyLimit ?? defaultLimit;
}
