import * as core from "@actions/core";
import { confine, mapSettled, planJobs, readLock, writeLock } from "@glm-image/node";
import { uploadArtifact } from "./artifact.ts";
import { commitAndPush } from "./git-commit.ts";
import { directSource, edgeSource } from "./image-source.ts";
import { type Inputs, readInputs } from "./inputs.ts";
import { type ImageResult, produceImage } from "./produce.ts";
import { type Failure, writeSummary } from "./summary.ts";

/** The action: one try/catch turns any failure into setFailed; everything below just throws. */
export async function run(): Promise<void> {
  try {
    await generateImages(readInputs(), process.env);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function generateImages(inputs: Inputs, env: NodeJS.ProcessEnv): Promise<void> {
  const apiKey = inputs["api-key"] ?? env.ZHIPU_API_KEY;
  for (const secret of [apiKey, inputs["edge-token"], inputs["github-token"]]) {
    if (secret) core.setSecret(secret);
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const jobs = await planJobs(inputs, workspace);
  const source =
    inputs["edge-url"] && inputs["edge-token"]
      ? edgeSource({ edgeUrl: inputs["edge-url"], token: inputs["edge-token"] })
      : directSource({ apiKey, baseUrl: inputs["base-url"] ?? env.ZHIPU_BASE_URL });
  const lockPath = confine(workspace, inputs["lock-file"], "lock-file");
  const lock = await readLock(lockPath.absolute);

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

  const settled = await mapSettled(jobs, inputs.concurrency, async (job) => {
    const result = await produceImage(job, {
      source,
      previous: lock.images[job.path],
      skipUnchanged: inputs["skip-unchanged"],
    });
    if (result.status === "generated") await record(result, job.key);
    return result;
  });
  const results: ImageResult[] = [];
  const failures: Failure[] = [];
  settled.forEach((outcome, index) => {
    const job = jobs[index];
    if (!job) return;
    if (outcome.status === "fulfilled") results.push(outcome.value);
    else
      failures.push({
        path: job.path,
        prompt: job.request.prompt,
        message: describe(outcome.reason),
      });
  });
  const generated = results.filter((result) => result.status === "generated");

  const commitSha =
    inputs.commit && generated.length > 0
      ? await commitAndPush({
          cwd: workspace,
          files: [...generated.map((result) => result.path), lockPath.relative],
          message: inputs["commit-message"],
          branch: inputs.branch,
          env,
          log: core.info,
        })
      : undefined;
  const artifactId =
    inputs["upload-artifact"] && generated.length > 0
      ? await uploadArtifact(
          inputs["artifact-name"],
          generated.map((result) => confine(workspace, result.path, "path").absolute),
          workspace,
        )
      : undefined;

  setOutputs(results, commitSha, artifactId);
  await writeSummary(results, failures, previewUrl(env, commitSha));
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${jobs.length} images failed:\n${failures.map((failure) => `- ${failure.path}: ${failure.message}`).join("\n")}`,
    );
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && "message" in error) {
    return `${String(error.code)}: ${String(error.message)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function setOutputs(
  results: ImageResult[],
  commitSha: string | undefined,
  artifactId: number | undefined,
) {
  core.setOutput("images", JSON.stringify(results));
  core.setOutput("path", results[0]?.path ?? "");
  core.setOutput("image-url", results[0]?.image_url ?? "");
  core.setOutput("generated", results.filter((result) => result.status === "generated").length);
  core.setOutput("skipped", results.filter((result) => result.status === "skipped").length);
  core.setOutput("commit-sha", commitSha ?? "");
  core.setOutput("artifact-id", artifactId ?? "");
}

/** Committed and unchanged files are previewed from the repository; others by their image URL. */
function previewUrl(env: NodeJS.ProcessEnv, commitSha: string | undefined) {
  const repository = env.GITHUB_REPOSITORY;
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return (result: ImageResult): string | null => {
    const ref = result.status === "skipped" ? env.GITHUB_SHA : commitSha;
    if (repository && ref) return `${server}/${repository}/raw/${ref}/${result.path}`;
    return result.image_url;
  };
}
