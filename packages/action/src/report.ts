import type { Price } from "@glm-image/core";

export interface ReportRow {
  path: string;
  prompt: string;
  model: string;
  size: string;
  status: "generated" | "skipped" | "failed" | "planned";
  /** Why it failed. */
  message?: string;
  preview: string | null;
  /** The image this one replaced, shown beside it. */
  replaced?: string | null;
}

export interface Totals {
  generated: number;
  skipped: number;
  failed: number;
  planned: number;
  cost: Price;
}

/** Text for HTML, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'|]/g, (character) => `&#${character.charCodeAt(0)};`);
}

const image = (url: string, alt: string) =>
  `<img src="${escapeHtml(url)}" width="160" alt="${escapeHtml(alt)}">`;

function previewCell(row: ReportRow): string {
  if (!row.preview) return "";
  if (!row.replaced) return image(row.preview, row.path);
  return `${image(row.replaced, `before: ${row.path}`)} → ${image(row.preview, row.path)}`;
}

/** One HTML table of every image: every cell opened and closed, every text escaped. */
export function imageTable(rows: ReportRow[]): string {
  const cell = (tag: "td" | "th", html: string) => `<${tag}>${html}</${tag}>`;
  const header = ["Path", "Prompt", "Model", "Size", "Status", "Preview"]
    .map((name) => cell("th", name))
    .join("");
  const body = rows.map((row) => {
    const prompt = row.prompt.length > 120 ? `${row.prompt.slice(0, 117)}...` : row.prompt;
    const status = row.status === "failed" ? `failed: ${row.message ?? ""}` : row.status;
    return `<tr>${[
      `<code>${escapeHtml(row.path)}</code>`,
      escapeHtml(prompt),
      escapeHtml(row.model),
      escapeHtml(row.size),
      escapeHtml(status),
      previewCell(row),
    ]
      .map((html) => cell("td", html))
      .join("")}</tr>`;
  });
  return `<table><tr>${header}</tr>${body.join("")}</table>`;
}

const money = (cost: Price) => `${cost.cny} CNY (US$${cost.usd})`;

/** A run that generated, a dry run, or a run refused by max-generations before any paid call. */
export type ReportMode = "run" | "dry-run" | "refused";

/** One line: how many of each, and what it cost or would cost at list prices. */
export function totalsLine(totals: Totals, mode: ReportMode): string {
  if (mode === "dry-run") {
    return `Dry run: ${totals.planned} to generate, ${totals.skipped} unchanged; estimated cost ${money(totals.cost)}. Nothing was generated.`;
  }
  if (mode === "refused") {
    return `Refused: ${totals.planned} to generate is more than max-generations allows (estimated cost ${money(totals.cost)}); ${totals.skipped} unchanged. Nothing was generated.`;
  }
  return `${totals.generated} generated, ${totals.skipped} skipped, ${totals.failed} failed; estimated cost ${money(totals.cost)}.`;
}
