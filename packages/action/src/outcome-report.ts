import * as core from "@actions/core";
import { embedSnippets, estimateCost, type ModelName, type Price } from "@glm-image/core";
import type { Job } from "@glm-image/node";
import { githubClient } from "./github-client.ts";
import { type PullRequest, pullRequestOf } from "./github-event.ts";
import type { Inputs } from "./inputs.ts";
import { logLine } from "./log.ts";
import type { Outcome } from "./outcome.ts";
import { commentMarker, upsertComment } from "./pr-comment.ts";
import { type Previews, previews } from "./previews.ts";
import { imageTable, type ReportMode, type ReportRow, type Totals, totalsLine } from "./report.ts";
import { writeSummary } from "./summary.ts";

type Env = Record<string, string | undefined>;

interface Report {
  rows: ReportRow[];
  totals: Totals;
  notes: string[];
}

/** The outputs and the job summary; answers what the pull request's comment shows. */
export async function report(
  inputs: Inputs,
  env: Env,
  outcome: Outcome,
  options: { mode: ReportMode },
): Promise<Report> {
  const cost = estimateCost(outcome.planned.map((job) => job.request.model as ModelName));
  const generatedCost = estimateCost(
    outcome.results
      .filter((result) => result.status === "generated")
      .map((result) => result.model as ModelName),
  );
  setOutputs(outcome, cost);
  const links = previews({ env, commitSha: outcome.commitSha, edgeUrl: inputs["edge-url"] });
  const rows = reportRows(outcome, links, options.mode !== "run");
  const totals: Totals = {
    generated: outcome.results.filter((result) => result.status === "generated").length,
    skipped: outcome.results.filter((result) => result.status === "skipped").length,
    failed: outcome.failures.length,
    planned: outcome.planned.length,
    cost: options.mode === "run" ? generatedCost : cost,
  };
  const notes: string[] = [];
  if (rows.some((row) => links.expires(row.preview))) {
    notes.push(
      "Previews of new images use ZhiPu's temporary URLs, which expire after 30 days; with edge-url they are permanent.",
    );
  }
  const pictures = (outcome.pairs ?? []).map(
    ({ light, dark }) =>
      embedSnippets({ url: light.path, darkUrl: dark.path, alt: light.request.prompt }).picture,
  );
  await writeSummary(rows, totals, { mode: options.mode, notes, pictures });
  return { rows, totals, notes };
}

function setOutputs(outcome: Outcome, cost: Price): void {
  const { results } = outcome;
  core.setOutput("images", JSON.stringify(results));
  core.setOutput("path", results[0]?.path ?? "");
  core.setOutput("image-url", results[0]?.image_url ?? "");
  core.setOutput("generated", results.filter((result) => result.status === "generated").length);
  core.setOutput("skipped", results.filter((result) => result.status === "skipped").length);
  core.setOutput("commit-sha", outcome.commitSha ?? "");
  core.setOutput("artifact-id", outcome.artifactId ?? "");
  core.setOutput("planned", outcome.planned.length);
  core.setOutput("estimated-cost", cost.cny);
}

function reportRows(outcome: Outcome, links: Previews, listPlanned: boolean): ReportRow[] {
  const row = (job: Job) => ({
    path: job.path,
    prompt: job.request.prompt,
    model: job.request.model,
    size: job.request.size,
  });
  const rows: ReportRow[] = outcome.results.map((result) => ({
    path: result.path,
    prompt: result.prompt,
    model: result.model,
    size: result.size,
    status: result.status,
    preview: links.current(result),
    replaced:
      result.status === "generated"
        ? links.replaced(outcome.previous.get(result.path), result.path)
        : null,
  }));
  for (const failure of outcome.failures) {
    rows.push({ ...row(failure.job), status: "failed", message: failure.message, preview: null });
  }
  if (listPlanned) {
    for (const job of outcome.planned) rows.push({ ...row(job), status: "planned", preview: null });
  }
  return rows;
}

/** The one preview comment of a pull request (comment: auto on pull requests, or true). */
export async function comment(
  inputs: Inputs,
  env: Env,
  { rows, totals, notes }: Report,
): Promise<void> {
  if (inputs.comment === "false") return;
  const pull: PullRequest | undefined = await pullRequestOf(env);
  if (!pull) {
    if (inputs.comment === "true") core.warning("comment is true but this run has no pull request");
    return;
  }
  const { octokit } = await githubClient(inputs["github-token"], env);
  const body = commentBody(rows, totals, notes);
  const outcome = await upsertComment({
    octokit,
    repository: pull.repository,
    issueNumber: pull.number,
    marker: commentMarker(inputs["artifact-name"]),
    body,
  });
  if (outcome === "forbidden") {
    core.warning(
      `Cannot comment on pull request #${pull.number}: the token may not write to it` +
        `${pull.fromFork ? " (the pull request comes from a fork, whose token is read-only)" : ""}. ` +
        "Give the job `permissions: pull-requests: write`, or set comment: false. The images are in the job summary and the artifact.",
    );
  } else {
    logLine(`Preview comment ${outcome} on pull request #${pull.number}`);
  }
}

/** GitHub refuses comments over 65,536 characters: the rows that fit, and where the rest are. */
const MAX_COMMENT = 60_000;

export function commentBody(rows: ReportRow[], totals: Totals, notes: string[]): string {
  for (let shown = rows.length; ; shown = Math.floor(shown / 2)) {
    const more = rows.length - shown;
    const body = [
      "### glm-image previews",
      imageTable(rows.slice(0, shown)),
      "",
      totalsLine(totals, "run"),
      ...(more > 0 ? [`\n${more} more images are in the job summary.`] : []),
      ...notes.map((note) => `\n${note}`),
    ].join("\n");
    if (body.length <= MAX_COMMENT || shown === 0) return body;
  }
}
