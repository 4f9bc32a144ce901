import type { Confined, Lock } from "@glm-image/node";
import { writeLock } from "@glm-image/node";
import { commitViaApi } from "./api-commit.ts";
import { changedPaths, commitSet, journalPaths } from "./commit-set.ts";
import { commitAndPush } from "./git-commit.ts";
import { githubClient } from "./github-client.ts";
import type { Inputs } from "./inputs.ts";
import { journalFolderOf } from "./journal-folder.ts";
import { logLine } from "./log.ts";
import type { Outcome } from "./outcome.ts";

type Env = Record<string, string | undefined>;

/**
 * Commits the images of the run, a lock file that lists exactly the committed images, and the
 * journal of paid work beside it as it stands (entries of failed images added, finished ones
 * removed), so a rerun on a fresh checkout resumes what this run paid for: with git (push,
 * rebase and retry) or through GitHub's API (a Verified commit). Answers the commit's SHA, or
 * undefined when nothing changed.
 */
export async function commitImages(
  inputs: Inputs,
  env: Env,
  workspace: string,
  lock: Lock,
  lockPath: Confined,
  outcome: Outcome,
): Promise<string | undefined> {
  const images = outcome.results.map((result) => result.path);
  const set = await commitSet(workspace, lock, images);
  await writeLock(lockPath.absolute, set.lock);
  const journal = await journalPaths(workspace, journalFolderOf(lockPath));
  const files = [...set.files, lockPath.relative, ...journal];
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
