// A tiny, safe Markdown renderer for the descriptions of /openapi.json. HTML is escaped first, so
// no markup of the text ever reaches the page; then code spans, bold, links (http, https, paths
// and fragments only), paragraphs and lists become HTML.
const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (character) => entities[character]);

const safeHref = (url) => /^(https?:\/\/|\/(?!\/)|#)/i.test(url);

/** Bold and links in escaped text without code spans. */
const emphasis = (html) =>
  html
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) =>
      safeHref(url) ? `<a href="${url}">${label}</a>` : whole,
    );

/**
 * One line of Markdown as inline HTML: `code`, **bold**, [text](url). Code spans are cut out
 * first (the odd pieces of the split): nothing inside them is read as Markdown.
 */
export function inlineMarkdown(text) {
  return escapeHtml(String(text))
    .split(/`([^`]+)`/)
    .map((piece, index) => (index % 2 ? `<code>${piece}</code>` : emphasis(piece)))
    .join("");
}

/** Markdown as HTML: blocks split by blank lines; `- ` or `* ` lines a list, `1. ` lines numbered. */
export function markdown(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const lines = block.split("\n").map((line) => line.trim());
      for (const [tag, marker] of [
        ["ul", /^[-*]\s+/],
        ["ol", /^\d+\.\s+/],
      ]) {
        if (lines.every((line) => marker.test(line))) {
          const items = lines.map((line) => `<li>${inlineMarkdown(line.replace(marker, ""))}</li>`);
          return `<${tag}>${items.join("")}</${tag}>`;
        }
      }
      return `<p>${inlineMarkdown(lines.join(" "))}</p>`;
    })
    .join("");
}
