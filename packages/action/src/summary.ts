import * as core from "@actions/core";
import { escapeHtml, imageTable, type ReportRow, type Totals, totalsLine } from "./report.ts";

/** The job summary: the table of every image (previews by URL: it is capped at 1 MiB), totals. */
export async function writeSummary(
  rows: ReportRow[],
  totals: Totals,
  options: { dryRun: boolean; notes: string[] },
): Promise<void> {
  await core.summary
    .addHeading("glm-image", 2)
    .addRaw(imageTable(rows), true)
    .addRaw(`<p>${escapeHtml(totalsLine(totals, options.dryRun))}</p>`, true)
    .addRaw(options.notes.map((note) => `<p>${escapeHtml(note)}</p>`).join(""), true)
    .write();
}
