import * as core from "@actions/core";
import {
  DEFAULT_MAX_RETRIES,
  estimateCost,
  GlmImageError,
  type ModelName,
  type Price,
} from "@glm-image/core";
import {
  confine,
  confineReal,
  type Job,
  type LockEntry,
  mapSettled,
  planJobs,
  readLock,
  writeLock,
} from "@glm-image/node";
import { commitViaApi } from "./api-commit.ts";
import { uploadArtifact } from "./artifact.ts";
import { changedPaths, commitSet } from "./commit-set.ts";
import { AUTO_START, ConcurrencyLimit, limitedSource } from "./concurrency-limit.ts";
import { commitAndPush } from "./git-commit.ts";
import { githubClient } from "./github-client.ts";
import { type PullRequest, pullRequestOf } from "./github-event.ts";
import { directSource, edgeSource, type ImageSource } from "./image-source.ts";
import { type Inputs, MAX_CONCURRENCY, readInputs } from "./inputs.ts";
import { logLine } from "./log.ts";
import { commentMarker, upsertComment } from "./pr-comment.ts";
import { type Previews, previews } from "./previews.ts";
import { generateImageFile, type ImageResult, unchangedImage } from "./produce.ts";
import { imageTable, type ReportRow, type Totals, totalsLine } from "./report.ts";
import { writeSummary } from "./summary.ts";

type Env = Record<string, string | undefined>;

/** The action: one try/catch turns any failure into setFailed; everything below just throws. */
export async function run(): Promise<void> {
  try {
    await generateImages(readInputs(), process.env);
  } catch (error) {
    core.setFailed(describe(error));
  }
}

interface Failure {
  job: Job;
  message: string;
}

/** What a run did: written to the outputs and the summary whatever failed after generation. */
interface Outcome {
  results: ImageResult[];
  failures: Failure[];
  planned: Job[];
  previous: Map<string, LockEntry>;
  commitSha?: string;
  artifactId?: number;
}

async function generateImages(inputs: Inputs, env: Env): Promise<void> {
  const apiKey = inputs["api-key"] ?? env.ZHIPU_API_KEY;
  for (const secret of [apiKey, inputs["edge-token"], inputs["github-token"]]) {
    if (secret) core.setSecret(secret);
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const jobs = await planJobs(inputs, workspace);
  const lockPath = await confineReal(workspace, inputs["lock-file"], "lock-file");
  const lock = await readLock(lockPath.absolute);
  const previous = new Map(Object.entries(lock.images));

  // The plan: what is unchanged, what would be paid for. Nothing below this is paid for until
  // the spend guard and the key check have passed.
  const unchanged = await Promise.all(
    jobs.map((job) =>
      inputs["skip-unchanged"] ? unchangedImage(job, lock.images[job.path]) : undefined,
    ),
  );
  const planned = jobs.filter((_, index) => unchanged[index] === undefined);
  const skipped = unchanged.filter((result) => result !== undefined);
  const outcome: Outcome = { results: skipped, failures: [], planned, previous };
  for (const result of skipped) logLine(`${result.path}: unchanged, skipped`);

  if (inputs["dry-run"]) {
    for (const job of planned) logLine(`${job.path}: would be generated with ${job.request.model}`);
    await report(inputs, env, outcome, { dryRun: true });
    return;
  }
  const limit = inputs["max-generations"];
  if (limit !== undefined && planned.length > limit) {
    await report(inputs, env, outcome, { dryRun: true });
    throw new Error(
      `max-generations is ${limit} but ${planned.length} images would be generated (${planned.map((job) => job.path).join(", ")}); nothing was generated. Raise max-generations or change fewer prompts.`,
    );
  }
  const source = planned.length > 0 ? imageSource(inputs, env, apiKey) : undefined;

  // Each image is recorded in the lock as soon as it is on disk, so a crash later never makes the
  // next run pay for it again.
  let lockWrites = Promise.resolve();
  const record = (result: ImageResult, key: string) => {
    lock.images[result.path] = {
      key,
      sha256: result.sha256,
      prompt: result.prompt,
      model: result.model,
      size: result.size,
      quality: result.quality,
      image_url: result.image_url,
    };
    lockWrites = lockWrites.then(() => writeLock(lockPath.absolute, lock));
    return lockWrites;
  };
  const settled = await mapSettled(planned, MAX_CONCURRENCY, async (job) => {
    const result = await generateImageFile(job, source as ImageSource);
    await record(result, job.key);
    return result;
  });
  settled.forEach((settledJob, index) => {
    const job = planned[index] as Job;
    if (settledJob.status === "fulfilled") outcome.results.push(settledJob.value);
    else outcome.failures.push({ job, message: describe(settledJob.reason) });
  });
  outcome.results.sort(
    (a, b) =>
      jobs.findIndex((job) => job.path === a.path) - jobs.findIndex((job) => job.path === b.path),
  );

  // After generation: each step may fail, and the outputs and the summary are written anyway.
  const problems = outcome.failures.map((failure) => `- ${failure.job.path}: ${failure.message}`);
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      problems.push(`- ${what}: ${describe(error)}`);
    }
  };
  const generated = outcome.results.filter((result) => result.status === "generated");
  if (inputs.commit && generated.length > 0) {
    await attempt("commit", async () => {
      outcome.commitSha = await commitImages(inputs, env, workspace, lock, lockPath, outcome);
    });
  }
  if (inputs["upload-artifact"] && generated.length > 0) {
    await attempt("upload-artifact", async () => {
      outcome.artifactId = await uploadArtifact(
        inputs["artifact-name"],
        generated.map((result) => confine(workspace, result.path, "path").absolute),
        workspace,
      );
    });
  }
  const reported = await report(inputs, env, outcome, { dryRun: false });
  await attempt("comment", () => comment(inputs, env, reported));
  if (problems.length > 0) {
    const failed = outcome.failures.length;
    const headline =
      failed > 0 ? `${failed} of ${jobs.length} images failed` : "The images were generated, but";
    throw new Error(`${headline}:\n${problems.join("\n")}`);
  }
}

/** The key is checked once, before anything is paid for, and named as the user sets it. */
function imageSource(inputs: Inputs, env: Env, apiKey: string | undefined): ImageSource {
  const raw =
    inputs["edge-url"] && inputs["edge-token"]
      ? edgeSource({ edgeUrl: inputs["edge-url"], token: inputs["edge-token"], maxRetries: 0 })
      : directSource({
          apiKey: requireKey(apiKey),
          baseUrl: inputs["base-url"] ?? env.ZHIPU_BASE_URL,
          maxRetries: 0,
        });
  const adaptive = inputs.concurrency === "auto";
  const limit = new ConcurrencyLimit({
    initial: adaptive ? AUTO_START : (inputs.concurrency as number),
    adaptive,
    max: MAX_CONCURRENCY,
    onChange: (value) => core.debug(`concurrency: ${value}`),
  });
  // Rate limits are waited out between attempts with the slot given back, so they may take a few
  // more attempts than other retryable failures.
  return limitedSource(raw, limit, { maxRetries: DEFAULT_MAX_RETRIES + 2 });
}

function requireKey(apiKey: string | undefined): string {
  if (apiKey) return apiKey;
  throw new GlmImageError(
    "MISSING_API_KEY",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, shown to the user
    "No ZhiPu API key: set the api-key input from a secret (api-key: ${{ secrets.ZHIPU_API_KEY }}) or the ZHIPU_API_KEY environment variable, or use edge-url with edge-token",
  );
}

async function commitImages(
  inputs: Inputs,
  env: Env,
  workspace: string,
  lock: Parameters<typeof commitSet>[1],
  lockPath: { absolute: string; relative: string },
  outcome: Outcome,
): Promise<string | undefined> {
  const images = outcome.results.map((result) => result.path);
  const set = await commitSet(workspace, lock, images);
  await writeLock(lockPath.absolute, set.lock);
  const files = [...set.files, lockPath.relative];
  if (inputs["commit-via"] === "git") {
    return commitAndPush({
      cwd: workspace,
      files,
      message: inputs["commit-message"],
      branch: inputs.branch,
      env,
      log: logLine,
    });
  }
  const repository = env.GITHUB_REPOSITORY;
  const branch = inputs.branch ?? env.GITHUB_HEAD_REF ?? env.GITHUB_REF_NAME;
  if (!repository || !branch) {
    throw new Error("commit-via api needs GITHUB_REPOSITORY and a branch (set the branch input)");
  }
  const changed = await changedPaths(workspace, files);
  if (changed.length === 0) {
    logLine("Nothing changed: no commit");
    return undefined;
  }
  const { octokit, graphqlUrl } = await githubClient(inputs["github-token"], env);
  return commitViaApi({
    octokit,
    graphqlUrl,
    repository,
    branch,
    files: changed,
    cwd: workspace,
    message: inputs["commit-message"],
    log: logLine,
  });
}

interface Report {
  rows: ReportRow[];
  totals: Totals;
  notes: string[];
}

/** The outputs and the job summary; answers what the pull request's comment shows. */
async function report(
  inputs: Inputs,
  env: Env,
  outcome: Outcome,
  options: { dryRun: boolean },
): Promise<Report> {
  const cost = estimateCost(outcome.planned.map((job) => job.request.model as ModelName));
  const generatedCost = estimateCost(
    outcome.results
      .filter((result) => result.status === "generated")
      .map((result) => result.model as ModelName),
  );
  setOutputs(outcome, cost);
  const links = previews({ env, commitSha: outcome.commitSha, edgeUrl: inputs["edge-url"] });
  const rows = reportRows(outcome, links, options.dryRun);
  const totals: Totals = {
    generated: outcome.results.filter((result) => result.status === "generated").length,
    skipped: outcome.results.filter((result) => result.status === "skipped").length,
    failed: outcome.failures.length,
    planned: outcome.planned.length,
    cost: options.dryRun ? cost : generatedCost,
  };
  const notes: string[] = [];
  if (rows.some((row) => links.expires(row.preview))) {
    notes.push(
      "Previews of new images use ZhiPu's temporary URLs, which expire after 30 days; with edge-url they are permanent.",
    );
  }
  await writeSummary(rows, totals, { dryRun: options.dryRun, notes });
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

function reportRows(outcome: Outcome, links: Previews, dryRun: boolean): ReportRow[] {
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
  if (dryRun) {
    for (const job of outcome.planned) rows.push({ ...row(job), status: "planned", preview: null });
  }
  return rows;
}

/** The one preview comment of a pull request (comment: auto on pull requests, or true). */
async function comment(inputs: Inputs, env: Env, { rows, totals, notes }: Report): Promise<void> {
  if (inputs.comment === "false") return;
  const pull: PullRequest | undefined = await pullRequestOf(env);
  if (!pull) {
    if (inputs.comment === "true") core.warning("comment is true but this run has no pull request");
    return;
  }
  const { octokit } = await githubClient(inputs["github-token"], env);
  const body = [
    "### glm-image previews",
    imageTable(rows),
    "",
    totalsLine(totals, false),
    ...notes.map((note) => `\n${note}`),
  ].join("\n");
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

function describe(error: unknown): string {
  if (error instanceof GlmImageError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
