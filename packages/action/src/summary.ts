import * as core from "@actions/core";
import type { ImageResult } from "./produce.ts";

export interface Failure {
  path: string;
  prompt: string;
  message: string;
}

/** A table of every image, previews by URL (never inline data: the summary is capped at 1 MiB). */
export async function writeSummary(
  results: ImageResult[],
  failures: Failure[],
  previewUrl: (result: ImageResult) => string | null,
): Promise<void> {
  const header = ["Path", "Prompt", "Model", "Size", "Status", "Preview"].map((data) => ({
    data,
    header: true,
  }));
  const escapeHtml = (text: string) =>
    text.replace(/[<>&|]/g, (character) => `&#${character.charCodeAt(0)};`);
  const rows = results.map((result) => {
    const preview = previewUrl(result);
    return [
      `<code>${escapeHtml(result.path)}</code>`,
      escapeHtml(result.prompt.length > 120 ? `${result.prompt.slice(0, 117)}...` : result.prompt),
      result.model,
      result.size,
      result.status,
      preview ? `<img src="${escapeHtml(preview)}" width="160" alt="">` : "",
    ];
  });
  const failed = failures.map((failure) => [
    `<code>${escapeHtml(failure.path)}</code>`,
    escapeHtml(failure.prompt),
    "",
    "",
    `failed: ${escapeHtml(failure.message)}`,
    "",
  ]);
  await core.summary
    .addHeading("glm-image", 2)
    .addTable([header, ...rows, ...failed])
    .write();
}
