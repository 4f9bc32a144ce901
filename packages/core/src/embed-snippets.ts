// What an embed hands back to paste (the edge's /v1/render-urls, the home page, MCP's
// `embed_image`, the action's summary): Markdown, an <img> and a <picture>, for render URLs the
// service signed. GitHub keeps <picture> with prefers-color-scheme sources; where it drops it, the
// #gh-light-mode-only / #gh-dark-mode-only fragments of the Markdown pair do the same.

export interface EmbedSnippets {
  markdown: string;
  html: string;
  picture: string;
}

const MAX_ALT = 120;

/** The alternative text on one line (a blank line would end an HTML block on GitHub), short. */
export function altText(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return [...line].length <= MAX_ALT ? line : `${[...line].slice(0, MAX_ALT - 1).join("")}…`;
}

/**
 * The same URL with the characters that end a Markdown link or split a srcset list escaped; a
 * server reads the same query (`%28` is `(` once decoded), so the signature still holds.
 */
export function pasteableUrl(url: string): string {
  return url.replace(
    /[()\s,]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");

const escapeMarkdown = (text: string) => text.replace(/[\\[\]]/g, (character) => `\\${character}`);

export function embedSnippets(urls: { url: string; darkUrl?: string; alt: string }): EmbedSnippets {
  const alt = altText(urls.alt);
  const light = pasteableUrl(urls.url);
  const dark = urls.darkUrl === undefined ? undefined : pasteableUrl(urls.darkUrl);
  const img = `<img src="${escapeHtml(light)}" alt="${escapeHtml(alt)}">`;
  const markdownAlt = escapeMarkdown(alt);
  const markdown =
    dark === undefined
      ? `![${markdownAlt}](${light})`
      : `![${markdownAlt}](${light}#gh-light-mode-only)\n![${markdownAlt}](${dark}#gh-dark-mode-only)`;
  const source =
    dark === undefined
      ? ""
      : `  <source media="(prefers-color-scheme: dark)" srcset="${escapeHtml(dark)}">\n`;
  return { markdown, html: img, picture: `<picture>\n${source}  ${img}\n</picture>` };
}

/** Appended to a light prompt to ask for its dark-mode variant when the caller gives none. */
export const DARK_VARIANT_SUFFIX =
  ", dark theme: a dark, near-black background with light foreground colours, for a page in dark mode";

/**
 * The prompt of the dark variant of an embed: the caller's own, or the light prompt with
 * DARK_VARIANT_SUFFIX appended (its length is checked like any prompt's).
 */
export function darkVariantPrompt(lightPrompt: string, darkPrompt?: string): string {
  return darkPrompt ?? `${lightPrompt.trim()}${DARK_VARIANT_SUFFIX}`;
}
