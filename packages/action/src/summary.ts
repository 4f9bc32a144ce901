import * as core from "@actions/core";
import {
  escapeHtml,
  imageTable,
  type ReportMode,
  type ReportRow,
  type Totals,
  totalsLine,
} from "./report.ts";

/** The job summary: the table of every image (previews by URL: it is capped at 1 MiB), totals. */
export async function writeSummary(
  rows: ReportRow[],
  totals: Totals,
  options: { mode: ReportMode; notes: string[]; pictures?: string[] },
): Promise<void> {
  // Outside a runner (a local run, a test of the bundle) there is no summary file to write.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary
    .addHeading("glm-image", 2)
    .addRaw(imageTable(rows), true)
    .addRaw(`<p>${escapeHtml(totalsLine(totals, options.mode))}</p>`, true)
    .addRaw(options.notes.map((note) => `<p>${escapeHtml(note)}</p>`).join(""), true)
    .addRaw(pictureSection(options.pictures ?? []), true)
    .write();
}

/**
 * The `<picture>` of each light/dark pair, to paste into a README (paths relative to the
 * repository root), each in a code block: shown as text, never rendered in the summary.
 */
function pictureSection(pictures: string[]): string {
  if (pictures.length === 0) return "";
  const blocks = pictures.map((picture) => `<pre><code>${escapeHtml(picture)}</code></pre>`);
  return `<h3>Light and dark embeds</h3>${blocks.join("")}`;
}
