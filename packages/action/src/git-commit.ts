import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);
const BOT = [
  "-c",
  "user.name=github-actions[bot]",
  "-c",
  "user.email=41898282+github-actions[bot]@users.noreply.github.com",
];
export const MAX_PUSH_ATTEMPTS = 5;

export interface CommitOptions {
  cwd: string;
  /** Paths relative to cwd: exactly these are staged and committed. */
  files: string[];
  message: string;
  branch?: string | undefined;
  env: Record<string, string | undefined>;
  log?: (message: string) => void;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function succeeds(cwd: string, args: string[]): Promise<boolean> {
  return git(cwd, args).then(
    () => true,
    () => false,
  );
}

/** Refuses what cannot push: a pull request from a fork (its token is read-only). */
async function checkNotFork(env: CommitOptions["env"]): Promise<void> {
  if (!env.GITHUB_EVENT_NAME?.startsWith("pull_request") || !env.GITHUB_EVENT_PATH) return;
  const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as {
    pull_request?: {
      head?: { repo?: { full_name?: string } };
      base?: { repo?: { full_name?: string } };
    };
  };
  const head = event.pull_request?.head?.repo?.full_name;
  const base = event.pull_request?.base?.repo?.full_name;
  if (head && base && head !== base) {
    throw new Error(
      `This pull request comes from the fork ${head}: its token cannot push to ${base}. ` +
        "Use upload-artifact instead of commit for pull requests from forks.",
    );
  }
}

async function targetBranch(options: CommitOptions): Promise<string> {
  if (options.branch) return options.branch;
  const current = await git(options.cwd, ["symbolic-ref", "--short", "-q", "HEAD"]).catch(() => "");
  if (current) return current;
  if (options.env.GITHUB_HEAD_REF) return options.env.GITHUB_HEAD_REF;
  throw new Error(
    "HEAD is detached (actions/checkout does this for tags and pull requests): set the branch input to say where to push",
  );
}

/**
 * Commits exactly the given files as github-actions[bot] and pushes them. A push rejected because
 * someone pushed meanwhile is rebased on theirs and tried again, up to 5 times. Answers the new
 * commit's SHA, or undefined when nothing changed.
 */
export async function commitAndPush(options: CommitOptions): Promise<string | undefined> {
  const { cwd, files } = options;
  const log = options.log ?? (() => {});
  await checkNotFork(options.env);
  const branch = await targetBranch(options);
  await git(cwd, ["add", "--", ...files]);
  if (await succeeds(cwd, ["diff", "--cached", "--quiet", "--", ...files])) {
    log("Nothing changed: no commit");
    return undefined;
  }
  await git(cwd, [...BOT, "commit", "--no-verify", "-m", options.message, "--", ...files]);
  for (let attempt = 1; ; attempt++) {
    try {
      await git(cwd, ["push", "origin", `HEAD:refs/heads/${branch}`]);
      break;
    } catch (error) {
      if (attempt >= MAX_PUSH_ATTEMPTS) {
        throw new Error(
          `git push to ${branch} failed ${attempt} times: ${(error as Error).message}`,
        );
      }
      log(`Push to ${branch} rejected (attempt ${attempt}); fetching, rebasing and trying again`);
      await git(cwd, ["fetch", "origin", branch]);
      try {
        await git(cwd, [...BOT, "rebase", "FETCH_HEAD"]);
      } catch (rebaseError) {
        await git(cwd, ["rebase", "--abort"]).catch(() => {});
        throw new Error(
          `Cannot rebase the generated images on ${branch}: ${(rebaseError as Error).message}`,
        );
      }
    }
  }
  return git(cwd, ["rev-parse", "HEAD"]);
}
