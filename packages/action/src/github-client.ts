import type { getOctokit } from "@actions/github";

export type Octokit = ReturnType<typeof getOctokit>;

/**
 * An Octokit for this run's GitHub: GITHUB_API_URL read now (not when @actions/github was
 * loaded), GraphQL at GITHUB_GRAPHQL_URL. Loaded on use: runs that never call GitHub never pay for
 * the client's start-up.
 */
export async function githubClient(
  token: string | undefined,
  env: Record<string, string | undefined>,
): Promise<{ octokit: Octokit; graphqlUrl: string }> {
  if (!token) throw new Error("github-token is empty: it is needed to call GitHub's API");
  const { getOctokit } = await import("@actions/github");
  const baseUrl = (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  return {
    octokit: getOctokit(token, { baseUrl }),
    graphqlUrl: env.GITHUB_GRAPHQL_URL ?? `${baseUrl}/graphql`,
  };
}
