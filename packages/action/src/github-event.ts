import { readFile } from "node:fs/promises";
import * as z from "zod";

const eventSchema = z.object({
  pull_request: z
    .object({
      number: z.number().int(),
      head: z.object({
        sha: z.string().optional(),
        repo: z.object({ full_name: z.string() }).nullable().optional(),
      }),
      base: z.object({ repo: z.object({ full_name: z.string() }) }),
    })
    .optional(),
});

export interface PullRequest {
  number: number;
  /** owner/name of the repository the pull request is opened in. */
  repository: string;
  /** True when it comes from a fork: its token is read-only. */
  fromFork: boolean;
}

/** The pull request of a `pull_request` or `pull_request_target` run, from GITHUB_EVENT_PATH. */
export async function pullRequestOf(
  env: Record<string, string | undefined>,
): Promise<PullRequest | undefined> {
  if (!env.GITHUB_EVENT_NAME?.startsWith("pull_request") || !env.GITHUB_EVENT_PATH) return;
  const event = eventSchema.safeParse(JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")));
  const pull = event.success ? event.data.pull_request : undefined;
  if (!pull) return undefined;
  const base = pull.base.repo.full_name;
  const head = pull.head.repo?.full_name;
  return { number: pull.number, repository: base, fromFork: head !== undefined && head !== base };
}
