import { GlmImageError } from "@glm-image/core";

/** `tenant`: whom the URL was minted for (signed like the rest); absent on URLs from before tenants. */
export const renderParameters = ["prompt", "model", "size", "quality", "tenant", "sig"] as const;
export type RenderQuery = Partial<Record<(typeof renderParameters)[number], string>>;

const known = new Set<string>(renderParameters);

function decode(raw: string, what: string): string {
  try {
    // decodeURIComponent refuses invalid percent-encoding and encoded lone surrogates alike.
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw new GlmImageError(
      "invalid_request",
      `${what} is not valid percent-encoded UTF-8; encode it with encodeURIComponent`,
      { param: what },
    );
  }
}

/**
 * Reads a render URL's query once, strictly, so that the signature is checked over exactly the
 * values that are then used: invalid percent-encoding, a repeated parameter or an unknown one is
 * a 400 that names it. (A lenient reader that replaced bad bytes with U+FFFD would let one signed
 * URL make many different images.)
 */
export function parseRenderQuery(url: string): RenderQuery {
  const search = new URL(url).search.slice(1);
  const query: Record<string, string> = {};
  for (const part of search.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const name = decode(equals === -1 ? part : part.slice(0, equals), "a parameter name");
    if (!known.has(name)) {
      throw new GlmImageError(
        "invalid_request",
        `Unknown parameter ${JSON.stringify(name)}; a render URL takes only ${renderParameters.join(", ")}`,
        { param: name },
      );
    }
    if (name in query) {
      throw new GlmImageError("invalid_request", `The parameter ${name} is given twice`, {
        param: name,
      });
    }
    query[name] = decode(equals === -1 ? "" : part.slice(equals + 1), name);
  }
  return query;
}
