import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { commitAndPush } from "./git-commit.ts";

const exec = promisify(execFile);
const git = async (cwd: string, ...args: string[]) =>
  (await exec("git", args, { cwd })).stdout.trim();
const identity = ["-c", "user.name=someone", "-c", "user.email=someone@example.com"];

let remote: string;
let ours: string;
let theirs: string;

/** A bare repository on disk with one commit on main, and two clones of it. */
beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), "glm-image-git-"));
  remote = join(root, "remote.git");
  ours = join(root, "ours");
  theirs = join(root, "theirs");
  await exec("git", ["init", "--bare", "--initial-branch=main", remote]);
  await exec("git", ["clone", remote, ours]);
  await git(ours, "checkout", "-b", "main");
  await writeFile(join(ours, "README.md"), "hello\n");
  await git(ours, "add", "README.md");
  await git(ours, ...identity, "commit", "-m", "first");
  await git(ours, "push", "origin", "main");
  await exec("git", ["clone", remote, theirs]);
});

const options = (files: string[], extra: Partial<Parameters<typeof commitAndPush>[0]> = {}) => ({
  cwd: ours,
  files,
  message: "chore: generate images [skip ci]",
  env: {},
  ...extra,
});

describe("commitAndPush", () => {
  it("commits exactly the given files as github-actions[bot] and pushes them", async () => {
    await writeFile(join(ours, "banner.png"), "image");
    await writeFile(join(ours, "unrelated.txt"), "not ours to commit");
    const sha = await commitAndPush(options(["banner.png"]));
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await git(remote, "rev-parse", "main")).toBe(sha);
    expect(await git(remote, "log", "-1", "--format=%an <%ae>|%s", "main")).toBe(
      "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|chore: generate images [skip ci]",
    );
    expect(await git(remote, "show", "--name-only", "--format=", "main")).toBe("banner.png");
    expect(await git(ours, "status", "--porcelain")).toBe("?? unrelated.txt");
  });

  it("makes no commit when nothing changed", async () => {
    const before = await git(remote, "rev-parse", "main");
    expect(await commitAndPush(options(["README.md"]))).toBeUndefined();
    expect(await git(remote, "rev-parse", "main")).toBe(before);
  });

  it("rebases on a push made meanwhile and pushes again", async () => {
    await writeFile(join(theirs, "other.md"), "someone else's work\n");
    await git(theirs, "add", "other.md");
    await git(theirs, ...identity, "commit", "-m", "meanwhile");
    await git(theirs, "push", "origin", "main");

    await writeFile(join(ours, "banner.png"), "image");
    const logs: string[] = [];
    const sha = await commitAndPush(options(["banner.png"], { log: (line) => logs.push(line) }));
    expect(await git(remote, "rev-parse", "main")).toBe(sha);
    expect(await git(remote, "log", "--format=%s", "main")).toBe(
      "chore: generate images [skip ci]\nmeanwhile\nfirst",
    );
    expect(logs.some((line) => line.includes("rejected (attempt 1)"))).toBe(true);
  });

  it("pushes to the branch input", async () => {
    await writeFile(join(ours, "banner.png"), "image");
    const sha = await commitAndPush(options(["banner.png"], { branch: "images" }));
    expect(await git(remote, "rev-parse", "images")).toBe(sha);
  });

  it("says what to do on a detached HEAD", async () => {
    await git(ours, "checkout", "--detach");
    await writeFile(join(ours, "banner.png"), "image");
    await expect(commitAndPush(options(["banner.png"]))).rejects.toThrow(
      /detached.*set the branch input/,
    );
  });

  it("refuses a pull request from a fork with a clear message", async () => {
    const event = join(ours, "..", "event.json");
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: "fork/repo" } },
          base: { repo: { full_name: "owner/repo" } },
        },
      }),
    );
    await writeFile(join(ours, "banner.png"), "image");
    const env = { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event };
    await expect(commitAndPush(options(["banner.png"], { env }))).rejects.toThrow(
      /fork fork\/repo.*upload-artifact/,
    );
    expect(await readFile(join(ours, "banner.png"), "utf8")).toBe("image");
  });

  it("gives up with the reason when the rebase conflicts", async () => {
    await writeFile(join(theirs, "banner.png"), "their image");
    await git(theirs, "add", "banner.png");
    await git(theirs, ...identity, "commit", "-m", "their banner");
    await git(theirs, "push", "origin", "main");
    await writeFile(join(ours, "banner.png"), "our image");
    await expect(commitAndPush(options(["banner.png"]))).rejects.toThrow(/Cannot rebase/);
    expect(await git(ours, "status", "--porcelain")).toBe("");
  });
});
