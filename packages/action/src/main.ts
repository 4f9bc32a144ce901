import * as core from "@actions/core";
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  isGlmImageError,
  missingApiKey,
} from "@glm-image/core";
import {
  type Confined,
  confine,
  confineReal,
  directSource,
  edgeSource,
  type ImageSource,
  type Job,
  type Lock,
  lockRecorder,
  mapSettled,
  openJournal,
  type PaidWork,
  paidWork,
  planJobs,
  readLock,
} from "@glm-image/node";
import { uploadArtifact } from "./artifact.ts";
import { commitImages } from "./commit-images.ts";
import { AUTO_START, ConcurrencyLimit, type Gate, limitedGate } from "./concurrency-limit.ts";
import { type Inputs, MAX_CONCURRENCY, readInputs } from "./inputs.ts";
import { journalFolderOf } from "./journal-folder.ts";
import { logLine } from "./log.ts";
import type { Outcome } from "./outcome.ts";
import { comment, report } from "./outcome-report.ts";
import { generateImageFile, unchangedImage } from "./produce.ts";

type Env = Record<string, string | undefined>;

/** The action: one try/catch turns any failure into setFailed; everything below just throws. */
export async function run(): Promise<void> {
  try {
    await generateImages(readInputs(), process.env);
  } catch (error) {
    core.setFailed(describe(error));
  }
}

/** The steps of a run, in order; nothing is paid for before the spend guard and the key check. */
async function generateImages(inputs: Inputs, env: Env): Promise<void> {
  for (const secret of [apiKeyOf(inputs, env), inputs["edge-token"], inputs["github-token"]]) {
    if (secret) core.setSecret(secret);
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const plan = await makePlan(inputs, workspace);
  const { outcome } = plan;
  if (inputs["dry-run"]) {
    for (const job of outcome.planned) {
      logLine(`${job.path}: would be generated with ${job.request.model}`);
    }
    await report(inputs, env, outcome, { mode: "dry-run" });
    return;
  }
  const limit = inputs["max-generations"];
  if (limit !== undefined && outcome.planned.length > limit) {
    await report(inputs, env, outcome, { mode: "refused" });
    throw new Error(
      `max-generations is ${limit} but ${outcome.planned.length} images would be generated (${outcome.planned.map((job) => job.path).join(", ")}); nothing was generated. Raise max-generations or change fewer prompts.`,
    );
  }
  if (outcome.planned.length > 0) {
    await generatePlanned(plan, paidWorkOf(inputs, env, apiKeyOf(inputs, env), plan.lockPath));
  }
  const problems = await afterGeneration(inputs, env, workspace, plan);
  if (problems.length > 0) {
    const failed = outcome.failures.length;
    const headline =
      failed > 0
        ? `${failed} of ${plan.jobs.length} images failed`
        : "The images were generated, but";
    throw new Error(`${headline}:\n${problems.join("\n")}`);
  }
}

const apiKeyOf = (inputs: Inputs, env: Env) => inputs["api-key"] ?? env.ZHIPU_API_KEY;

interface Plan {
  jobs: Job[];
  lock: Lock;
  lockPath: Confined;
  outcome: Outcome;
}

/** Each dark variant with the light image it belongs to. */
function lightDarkPairs(jobs: Job[]): Array<{ light: Job; dark: Job }> {
  const byPath = new Map(jobs.map((job) => [job.path, job]));
  return jobs.flatMap((dark) => {
    const light = dark.darkOf === undefined ? undefined : byPath.get(dark.darkOf);
    return light === undefined ? [] : [{ light, dark }];
  });
}

/** Every image asked for, split into unchanged (skipped, from the lock) and planned. */
async function makePlan(inputs: Inputs, workspace: string): Promise<Plan> {
  const jobs = await planJobs(inputs, workspace);
  const lockPath = await confineReal(workspace, inputs["lock-file"], "lock-file");
  const lock = await readLock(lockPath.absolute);
  const unchanged = await Promise.all(
    jobs.map((job) => (inputs["skip-unchanged"] ? unchangedImage(job, lock) : undefined)),
  );
  const skipped = unchanged.filter((result) => result !== undefined);
  for (const result of skipped) logLine(`${result.path}: unchanged, skipped`);
  const outcome: Outcome = {
    results: skipped,
    failures: [],
    planned: jobs.filter((_, index) => unchanged[index] === undefined),
    previous: new Map(Object.entries(lock.images)),
    pairs: lightDarkPairs(jobs),
  };
  return { jobs, lock, lockPath, outcome };
}

/**
 * Generates the planned images through the journaled paid work (an image an earlier, stopped run
 * paid for is resumed from the journal, not paid again). Each is recorded in the lock as soon as
 * it is on disk, so a crash later never makes the next run pay for it again; one failing never
 * stops the others.
 */
async function generatePlanned({ jobs, lock, lockPath, outcome }: Plan, work: PaidWork) {
  const record = lockRecorder(lockPath.absolute, lock);
  const settled = await mapSettled(outcome.planned, MAX_CONCURRENCY, (job) =>
    generateImageFile(job, work, record),
  );
  for (const [index, settledJob] of settled.entries()) {
    const job = outcome.planned[index] as Job;
    if (settledJob.status === "fulfilled") {
      outcome.results.push(settledJob.value);
      continue;
    }
    const kept = await work.keptNote(job.key, settledJob.reason);
    const message = describe(settledJob.reason);
    outcome.failures.push({
      job,
      message: kept ? `${message.replace(/\.$/, "")}. ${kept}` : message,
    });
  }
  const order = new Map(jobs.map((job, index) => [job.path, index]));
  outcome.results.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
}

/**
 * Commit, upload, outputs and summary, comment: each may fail, none stops the others, and the
 * outputs and the summary are always written. Answers what failed, failed images first.
 */
async function afterGeneration(
  inputs: Inputs,
  env: Env,
  workspace: string,
  { lock, lockPath, outcome }: Plan,
): Promise<string[]> {
  const problems = outcome.failures.map((failure) => `- ${failure.job.path}: ${failure.message}`);
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      problems.push(`- ${what}: ${describe(error)}`);
    }
  };
  const generated = outcome.results.filter((result) => result.status === "generated");
  // A failed image may leave paid work in the journal: committed too, so the next run resumes it.
  if (inputs.commit && (generated.length > 0 || outcome.failures.length > 0)) {
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
  const reported = await report(inputs, env, outcome, { mode: "run" });
  await attempt("comment", () => comment(inputs, env, reported));
  return problems;
}

/**
 * The journaled paid work: the image source (the key checked once, before anything is paid for,
 * and named as the user sets it), the journal beside the lock file, and the concurrency limit.
 */
function paidWorkOf(
  inputs: Inputs,
  env: Env,
  apiKey: string | undefined,
  lockPath: Confined,
): PaidWork {
  const source: ImageSource =
    inputs["edge-url"] && inputs["edge-token"]
      ? edgeSource({ edgeUrl: inputs["edge-url"], token: inputs["edge-token"], maxRetries: 0 })
      : directSource({
          apiKey: requireKey(apiKey),
          baseUrl: inputs["base-url"] ?? env.ZHIPU_BASE_URL ?? DEFAULT_BASE_URL,
          maxRetries: 0,
          pollRetries: DEFAULT_MAX_RETRIES,
        });
  const journal = journalFolderOf(lockPath);
  return paidWork({
    source,
    journal: openJournal(journal.absolute),
    gate: concurrencyGate(inputs),
    clearHint: (key) =>
      `delete ${journal.relative}/${key}.json (from the repository when it is committed, or from the cache that restores it)`,
  });
}

function concurrencyGate(inputs: Inputs): Gate {
  const adaptive = inputs.concurrency === "auto";
  const limit = new ConcurrencyLimit({
    initial: inputs.concurrency === "auto" ? AUTO_START : inputs.concurrency,
    adaptive,
    max: MAX_CONCURRENCY,
    onChange: (value) => core.debug(`concurrency: ${value}`),
  });
  // Rate limits are waited out between attempts with the slot given back, so they may take a few
  // more attempts than other retryable failures.
  return limitedGate(limit, { maxRetries: DEFAULT_MAX_RETRIES + 2 });
}

function requireKey(apiKey: string | undefined): string {
  if (apiKey) return apiKey;
  throw missingApiKey(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, shown to the user
    "set the api-key input from a secret (api-key: ${{ secrets.ZHIPU_API_KEY }}) or the ZHIPU_API_KEY environment variable, or use edge-url with edge-token",
  );
}

function describe(error: unknown): string {
  if (isGlmImageError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
