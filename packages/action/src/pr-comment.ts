import type { Octokit } from "./github-client.ts";

/** The hidden line that finds our comment again; one per artifact name (one per matrix job). */
export const commentMarker = (name: string) =>
  `<!-- glm-image preview: ${name.replace(/--/g, "- -")} -->`;

export type CommentOutcome = "created" | "updated" | "forbidden";

const statusOf = (error: unknown) =>
  error && typeof error === "object" && "status" in error ? Number(error.status) : undefined;

/**
 * Keeps one comment on the pull request: finds it by its marker and updates it, or creates it.
 * A token that may not write (a fork's) answers 403: that is "forbidden", not an error.
 */
export async function upsertComment(options: {
  octokit: Octokit;
  repository: string;
  issueNumber: number;
  marker: string;
  body: string;
}): Promise<CommentOutcome> {
  const [owner = "", repo = ""] = options.repository.split("/");
  const { octokit, issueNumber } = options;
  const body = `${options.marker}\n${options.body}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    const ours = comments.find((comment) => comment.body?.includes(options.marker));
    if (ours) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      return "updated";
    }
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return "created";
  } catch (error) {
    if (statusOf(error) === 403) return "forbidden";
    throw error;
  }
}
