/** Signed render URLs: `sig` is hex HMAC-SHA256 over the canonical query of the other parameters. */

export type RenderParams = Readonly<Record<string, string | undefined>>;

const encoder = new TextEncoder();

/** The other parameters (never `sig`), sorted by name, URL-encoded, joined by `&`. */
export function canonicalQuery(params: RenderParams): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string] => entry[0] !== "sig" && entry[1] !== undefined)
    .sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

const toHex = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

export async function signRenderParams(params: RenderParams, secret: string): Promise<string> {
  return toHex(await hmac(secret, canonicalQuery(params)));
}

/** Checks a `sig` in time independent of where it differs. */
export async function verifyRenderSignature(
  params: RenderParams,
  signature: string,
  secret: string,
): Promise<boolean> {
  const expected = await signRenderParams(params, secret);
  return timingSafeEqualText(expected, signature.toLowerCase());
}

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqualText(first: string, second: string): boolean {
  const a = encoder.encode(first);
  const b = encoder.encode(second);
  let difference = a.length ^ b.length;
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    difference |= (a[index % (a.length || 1)] ?? 0) ^ (b[index % (b.length || 1)] ?? 0);
  }
  return difference === 0;
}

/** A complete signed render URL: `{origin}/render?{canonical query}&sig={hex}`. */
export async function signedRenderUrl(
  origin: string,
  params: RenderParams,
  secret: string,
): Promise<string> {
  const query = canonicalQuery(params);
  const signature = await signRenderParams(params, secret);
  return `${origin.replace(/\/+$/, "")}/render?${query}&sig=${signature}`;
}
