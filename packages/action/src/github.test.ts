import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ActionEnv, actionEnv } from "../test/action-env.ts";
import { type GitHubApi, startGitHubApi } from "../test/github-api.ts";
import { actionHarness } from "../test/harness.ts";

const exec = promisify(execFile);
const harness = actionHarness();
const { runIn } = harness;
let github: GitHubApi;

beforeAll(async () => {
  github = await startGitHubApi();
});
afterAll(() => github.close());
beforeEach(() => {
  github.calls.length = 0;
  github.comments.length = 0;
  github.commits.length = 0;
  github.readOnly = false;
  github.moveHeadOnce = false;
});

const manifest =
  "- {path: images/one.png, prompt: first}\n- {path: images/two.png, prompt: second}\n";

/** A run on GitHub: the API stand-in, a repository, and a pull_request event when asked. */
async function githubEnv(
  inputs: Record<string, string>,
  options: { pullRequest?: { fork: boolean } } = {},
): Promise<ActionEnv> {
  const context = await actionEnv(
    {
      ...harness.base(),
      "github-token": "ghs_stand_in_token",
      ...inputs,
    },
    {
      GITHUB_API_URL: github.url,
      GITHUB_GRAPHQL_URL: github.graphqlUrl,
      GITHUB_REPOSITORY: "octo/site",
      GITHUB_SERVER_URL: "https://github.example",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    },
  );
  if (options.pullRequest) {
    const event = join(context.workspace, "..", `event-${Date.now()}.json`);
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          number: 7,
          head: {
            sha: "f".repeat(40),
            repo: { full_name: options.pullRequest.fork ? "fork/site" : "octo/site" },
          },
          base: { repo: { full_name: "octo/site" } },
        },
      }),
    );
    Object.assign(context.env, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event });
  }
  return context;
}

const printed = () => harness.stdout.join("");

describe("pull-request previews", () => {
  it("keeps one comment: created on the first run, updated on the next", async () => {
    const context = await githubEnv({ manifest }, { pullRequest: { fork: false } });
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    expect(github.comments).toHaveLength(1);
    const first = github.comments[0]?.body ?? "";
    expect(first).toContain("<!-- glm-image preview: generated-images -->");
    expect(first).toContain("<code>images/one.png</code>");
    expect(first).toContain("2 generated, 0 skipped, 0 failed");
    expect(first).toContain("expire after 30 days");
    const created = github.calls.find((call) => call.method === "POST");
    expect(created?.path).toBe("/repos/octo/site/issues/7/comments");
    expect(created?.authorization).toBe("token ghs_stand_in_token");

    context.env.INPUT_MANIFEST = manifest.replace("prompt: second", "prompt: second and bluer");
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    expect(github.comments).toHaveLength(1);
    const second = github.comments[0]?.body ?? "";
    expect(second).toContain("1 generated, 1 skipped, 0 failed");
    // The changed image beside the one it replaced; the unchanged one from the repository.
    expect(second).toContain('alt="before: images/two.png"');
    expect(second).toContain(
      "https://github.example/octo/site/raw/0123456789abcdef0123456789abcdef01234567/images/one.png",
    );
    expect(github.calls.filter((call) => call.method === "PATCH")).toHaveLength(1);
    expect(github.calls.filter((call) => call.method === "POST")).toHaveLength(1);
  });

  it("a fork's read-only token is a warning: the step succeeds with outputs and summary", async () => {
    github.readOnly = true;
    const context = await githubEnv(
      { prompt: "x", path: "a.png" },
      { pullRequest: { fork: true } },
    );
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    expect(printed()).toMatch(/::warning::Cannot comment on pull request #7.*fork/);
    expect((await context.outputs()).generated).toBe("1");
    expect(await context.summary()).toContain("<code>a.png</code>");
  });

  it("comments nothing outside pull requests, and nothing with comment: false", async () => {
    await runIn(await githubEnv({ prompt: "x", path: "a.png" }));
    await runIn(
      await githubEnv(
        { prompt: "y", path: "b.png", comment: "false" },
        { pullRequest: { fork: false } },
      ),
    );
    expect(github.calls).toHaveLength(0);
  });
});

describe("commit-via: api", () => {
  async function repository(context: ActionEnv) {
    const git = (...args: string[]) => exec("git", args, { cwd: context.workspace });
    await git("init", "--initial-branch=main");
    await writeFile(join(context.workspace, "README.md"), "site\n");
    await git("add", "README.md");
    await git(
      "-c",
      "user.name=someone",
      "-c",
      "user.email=someone@example.com",
      "commit",
      "-m",
      "first",
    );
    return git;
  }

  it("sends the files' bytes to createCommitOnBranch and retries once on a moved head", async () => {
    const context = await githubEnv({
      manifest,
      commit: "true",
      "commit-via": "api",
      branch: "main",
    });
    const git = await repository(context);
    github.moveHeadOnce = true;
    await runIn(context);
    expect(printed()).not.toContain("::error::");
    expect(github.commits).toHaveLength(1);
    const commit = github.commits[0];
    expect(commit?.branch).toBe("main");
    expect(commit?.headline).toBe("chore: generate images [skip ci]");
    expect(Object.keys(commit?.files ?? {}).sort()).toEqual([
      ".glm-image.lock.json",
      "images/one.png",
      "images/two.png",
    ]);
    const onDisk = await readFile(join(context.workspace, "images/one.png"));
    expect(commit?.files["images/one.png"]?.equals(onDisk)).toBe(true);
    const lock = JSON.parse(commit?.files[".glm-image.lock.json"]?.toString() ?? "{}");
    expect(lock.images["images/one.png"].sha256).toBe(
      createHash("sha256").update(onDisk).digest("hex"),
    );
    // Head read, commit refused (moved), head read again, commit made on the new head.
    const graphql = github.calls.filter((call) => call.path === "/graphql");
    expect(graphql).toHaveLength(4);
    const expected = graphql.map(
      (call) =>
        (call.body as { variables?: { input?: { expectedHeadOid?: string } } }).variables?.input
          ?.expectedHeadOid,
    );
    expect(expected[1]).toMatch(/^[0-9a-f]{40}$/);
    expect(expected[3]).toBe(commit?.expectedHeadOid);
    expect(expected[3]).not.toBe(expected[1]);
    expect(github.heads.get("main")).toBe(commit?.oid);
    expect((await context.outputs())["commit-sha"]).toBe(commit?.oid);
    // Nothing was pushed with git.
    expect((await git("log", "--format=%s")).stdout.trim()).toBe("first");
  });
});

describe("commit-via: api and the journal", () => {
  it("commits the paid work of a failed image, and deletes its entry once the image is made", async () => {
    const context = await githubEnv({
      prompt: "a banner",
      path: "docs/banner.png",
      commit: "true",
      "commit-via": "api",
      branch: "main",
    });
    const git = (...args: string[]) => exec("git", args, { cwd: context.workspace });
    await git("init", "--initial-branch=main");
    await git(
      "-c",
      "user.name=a",
      "-c",
      "user.email=a@b.c",
      "commit",
      "--allow-empty",
      "-m",
      "first",
    );
    harness.mock.setDownloads("broken-url");
    await runIn(context);
    const [failed] = github.commits;
    const entry = Object.keys(failed?.files ?? {}).find((path) =>
      path.startsWith(".glm-image.journal/"),
    );
    expect(entry).toMatch(/^\.glm-image\.journal\/[0-9a-f]{64}\.json$/);

    // The next run's checkout has that entry; the image URL works again.
    await git("add", ".glm-image.journal");
    await git("-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-m", "as pushed");
    harness.mock.setDownloads("working");
    await runIn(context);
    expect(harness.mock.generations).toBe(1);
    const made = github.commits.at(-1);
    expect(Object.keys(made?.files ?? {})).toContain("docs/banner.png");
    expect(made?.deleted).toEqual([entry]);
  });
});

describe("the spend guard", () => {
  it("dry-run: 0 upstream calls, 0 commits, the plan and its estimated cost", async () => {
    const context = await githubEnv({
      manifest: `${manifest}- {path: images/three.png, prompt: third, model: cogview-4}\n`,
      "dry-run": "true",
      commit: "true",
      "commit-via": "api",
      branch: "main",
    });
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    expect(harness.mock.requests).toHaveLength(0);
    expect(github.calls).toHaveLength(0);
    const outputs = await context.outputs();
    expect(outputs).toMatchObject({ planned: "3", "estimated-cost": "0.26", generated: "0" });
    const summary = await context.summary();
    expect(summary).toContain("Dry run: 3 to generate, 0 unchanged; estimated cost 0.26 CNY");
    expect(summary).toContain("<td>planned</td>");
  });

  it("max-generations: 1 with 2 changed images fails before any upstream call", async () => {
    const context = await githubEnv({ manifest, "max-generations": "1" });
    await runIn(context);
    expect(process.exitCode).toBe(1);
    expect(printed()).toMatch(/::error::max-generations is 1 but 2 images would be generated/);
    expect(harness.mock.requests).toHaveLength(0);
    expect((await context.outputs()).planned).toBe("2");
    expect(await context.summary()).toContain(
      "Refused: 2 to generate is more than max-generations allows (estimated cost 0.2 CNY",
    );
  });

  it("max-generations counts only what changed", async () => {
    const context = await githubEnv({ manifest });
    await runIn(context);
    harness.mock.reset();
    context.env.INPUT_MANIFEST = manifest.replace("prompt: first", "prompt: first again");
    context.env["INPUT_MAX-GENERATIONS"] = "1";
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    expect(harness.mock.generations).toBe(1);
  });
});
