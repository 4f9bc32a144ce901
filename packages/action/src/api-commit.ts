import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Octokit } from "./github-client.ts";

const HEAD_QUERY = `query($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $ref) { target { oid } } }
}`;

const COMMIT_MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

interface HeadAnswer {
  repository: { ref: { target: { oid: string } } | null } | null;
}

interface CommitAnswer {
  createCommitOnBranch: { commit: { oid: string } };
}

/** GitHub answers a stale expectedHeadOid with STALE_DATA: "Expected branch to point to ...". */
function movedHead(error: unknown): boolean {
  const errors =
    error && typeof error === "object" && "errors" in error && Array.isArray(error.errors)
      ? (error.errors as Array<{ type?: string; message?: string }>)
      : [];
  return errors.some(
    (entry) =>
      entry.type === "STALE_DATA" || /expected branch to point to/i.test(entry.message ?? ""),
  );
}

/**
 * Commits the files through GraphQL `createCommitOnBranch`: GitHub makes and signs the commit, so
 * it shows as Verified. The head is read first; if the branch moved before the commit landed, the
 * new head is read and the commit sent once more (as the git path rebases). Answers the new SHA.
 */
export async function commitViaApi(options: {
  octokit: Octokit;
  graphqlUrl: string;
  repository: string;
  branch: string;
  /** Paths relative to cwd, with forward slashes. */
  files: string[];
  cwd: string;
  message: string;
  log?: (message: string) => void;
}): Promise<string> {
  const { octokit, graphqlUrl, repository, branch } = options;
  const [owner = "", name = ""] = repository.split("/");
  // A file that is gone (a finished journal entry) is a deletion; the others are added.
  const changes = await Promise.all(
    options.files.map(async (path) => {
      const bytes = await readFile(join(options.cwd, path)).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        },
      );
      return { path, contents: bytes?.toString("base64") };
    }),
  );
  const additions = changes.flatMap(({ path, contents }) =>
    contents === undefined ? [] : [{ path, contents }],
  );
  const deletions = changes.flatMap(({ path, contents }) =>
    contents === undefined ? [{ path }] : [],
  );
  const [headline = "", ...rest] = options.message.split("\n");
  const message = { headline, ...(rest.length > 0 ? { body: rest.join("\n").trim() } : {}) };
  const head = async () => {
    // The object form: the only one that takes a url (GITHUB_GRAPHQL_URL) beside the variables.
    const answer = await octokit.graphql<HeadAnswer>({
      query: HEAD_QUERY,
      owner,
      name,
      ref: `refs/heads/${branch}`,
      url: graphqlUrl,
    });
    const oid = answer.repository?.ref?.target.oid;
    if (!oid) throw new Error(`The branch ${branch} does not exist in ${repository}`);
    return oid;
  };
  const commit = async (expectedHeadOid: string) => {
    const answer = await octokit.graphql<CommitAnswer>({
      query: COMMIT_MUTATION,
      input: {
        branch: { repositoryNameWithOwner: repository, branchName: branch },
        message,
        expectedHeadOid,
        fileChanges: { additions, ...(deletions.length > 0 ? { deletions } : {}) },
      },
      url: graphqlUrl,
    });
    return answer.createCommitOnBranch.commit.oid;
  };
  try {
    return await commit(await head());
  } catch (error) {
    if (!movedHead(error)) throw error;
    options.log?.(`${branch} moved while committing; committing on its new head`);
    return commit(await head());
  }
}
