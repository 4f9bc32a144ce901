import { GlmImageError } from "./errors.ts";

export const DEFAULT_BASE_URL = "https://open.bigmodel.cn/api/paas/v4";
export const INTERNATIONAL_BASE_URL = "https://api.z.ai/api/paas/v4";

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i;

/**
 * A URL as it may be shown: scheme, host and path, without user, password, query or fragment
 * (where secrets are put).
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

function refused(problem: string): GlmImageError {
  return new GlmImageError(
    "INVALID_BASE_URL",
    `ZHIPU_BASE_URL must be an http:// or https:// URL such as ${DEFAULT_BASE_URL}; ${problem}`,
    { param: "ZHIPU_BASE_URL" },
  );
}

/**
 * Checks a ZhiPu base URL (`ZHIPU_BASE_URL`): an absolute http or https URL, with no query or
 * fragment. Answers it without trailing slashes; throws `INVALID_BASE_URL` naming the setting and
 * what is wrong (never the URL's user or password). Undefined or empty means the default.
 */
export function validateBaseUrl(value: string | undefined): string {
  const text = value?.trim() ?? "";
  if (text === "") return DEFAULT_BASE_URL;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme) {
    const shown = text.replace(/^[^/]*@/, "");
    const scheme = loopback.test(shown) ? "http" : "https";
    throw refused(`"${shown}" has no scheme (did you mean ${scheme}://${shown}?)`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused("it is not a URL that can be read");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw refused(`its scheme is ${url.protocol.slice(0, -1)}`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw refused(`${displayUrl(url)} must have no query or fragment`);
  }
  return text.replace(/\/+$/, "");
}
