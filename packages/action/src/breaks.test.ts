// The breaks found by trying the action as an outsider (issue 12): each failed before its fix.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { actionEnv } from "../test/action-env.ts";
import { actionHarness } from "../test/harness.ts";

const exec = promisify(execFile);
const harness = actionHarness();
const { base, runIn, errorLine } = harness;

describe("paths", () => {
  it("a folder that is a symbolic link out of the workspace is refused, nothing written there", async () => {
    const outside = await mkdtemp(join(tmpdir(), "glm-image-outside-"));
    const context = await actionEnv({ ...base(), prompt: "x", path: "link/x.png" });
    await symlink(outside, join(context.workspace, "link"));
    await runIn(context);
    expect(process.exitCode).toBe(1);
    expect(errorLine()).toContain("symbolic link");
    expect(await readdir(outside)).toEqual([]);
    expect(harness.mock.requests).toHaveLength(0);
  });

  it("a manifest file linked from outside is never read (nor its content printed)", async () => {
    const outside = await mkdtemp(join(tmpdir(), "glm-image-outside-"));
    await writeFile(join(outside, "secret"), "SECRET_VALUE=abc: [");
    const context = await actionEnv({ ...base(), manifest: "images.yml" });
    await symlink(join(outside, "secret"), join(context.workspace, "images.yml"));
    await runIn(context);
    expect(process.exitCode).toBe(1);
    expect(errorLine()).toContain("symbolic link");
    expect(harness.stdout.join("")).not.toContain("SECRET_VALUE");
  });

  it("a path in .git is refused", async () => {
    await runIn(await actionEnv({ ...base(), prompt: "x", path: ".git/hooks/pre-commit" }));
    expect(process.exitCode).toBe(1);
    expect(errorLine()).toContain("inside a .git folder");
    expect(harness.mock.requests).toHaveLength(0);
  });

  it("a line break in a manifest path is refused and injects no workflow command", async () => {
    const manifest = JSON.stringify([{ path: "a.png\n::warning::injected", prompt: "x" }]);
    await runIn(await actionEnv({ ...base(), manifest: `${manifest}\n` }));
    expect(process.exitCode).toBe(1);
    expect(errorLine()).toContain("control character");
    expect(harness.stdout.join("").split("\n")).not.toContain("::warning::injected");
  });
});

describe("the summary", () => {
  it('escapes a " in a path: no attribute injected', async () => {
    const context = await actionEnv({
      ...base(),
      prompt: "x",
      path: 'a" onerror="alert(1).png',
    });
    await runIn(context);
    const summary = await context.summary();
    expect(summary).not.toContain('" onerror="');
    expect(summary).toContain("a&#34; onerror=&#34;alert(1).png");
  });

  it("closes every cell of a failed row, and gives totals", async () => {
    const context = await actionEnv({
      ...base(),
      manifest:
        '- {path: good.png, prompt: fine}\n- {path: bad.png, prompt: "[mock:content-filter] no"}\n',
    });
    await runIn(context);
    const summary = await context.summary();
    expect(summary).not.toMatch(/<td>\s*<td>/);
    expect(summary.match(/<td>/g)?.length).toBe(summary.match(/<\/td>/g)?.length);
    expect(summary).toContain("failed: content_filter_violation");
    expect(summary).toContain("1 generated, 0 skipped, 1 failed; estimated cost 0.1 CNY");
  });

  it("never previews a skipped image by its upstream URL, which expires", async () => {
    const context = await actionEnv({ ...base(), prompt: "x", path: "a.png" });
    await runIn(context);
    await runIn(context);
    // The summary file holds both runs: read the second.
    const summary = (await context.summary()).split("<h2>glm-image</h2>").at(-1) ?? "";
    expect(summary).toContain("<td>skipped</td>");
    expect(summary).not.toContain(harness.mock.url);
  });
});

describe("the API key", () => {
  it("is checked once, before anything, naming the api-key input", async () => {
    const context = await actionEnv({
      manifest: "- {path: a.png, prompt: x}\n- {path: b.png, prompt: y}\n",
      "base-url": harness.mock.baseUrl,
      "upload-artifact": "false",
    });
    await runIn(context);
    expect(process.exitCode).toBe(1);
    const error = errorLine();
    expect(error.match(/MISSING_API_KEY/g)).toHaveLength(1);
    expect(error).toContain("set the api-key input");
    expect(harness.mock.requests).toHaveLength(0);
  });
});

describe("commit mode", () => {
  it("the committed lock file lists exactly the committed images", async () => {
    const root = await mkdtemp(join(tmpdir(), "glm-image-commit-"));
    const remote = join(root, "remote.git");
    await exec("git", ["init", "--bare", "--initial-branch=main", remote]);
    const context = await actionEnv({
      ...base(),
      manifest: "- {path: img/a.png, prompt: first}\n",
    });
    const git = async (...args: string[]) =>
      (await exec("git", args, { cwd: context.workspace })).stdout.trim();
    await git("init", "--initial-branch=main");
    await git("remote", "add", "origin", remote);
    await mkdir(join(context.workspace, "docs"));
    await writeFile(join(context.workspace, "docs/README.md"), "site\n");
    await git("add", ".");
    await git("-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "-m", "first");
    await git("push", "origin", "main");

    // A run without commit, then one with commit and one more image.
    await runIn(context);
    expect(process.exitCode).toBeUndefined();
    context.env.INPUT_MANIFEST =
      "- {path: img/a.png, prompt: first}\n- {path: img/b.png, prompt: second}\n";
    context.env.INPUT_COMMIT = "true";
    await runIn(context);
    expect(errorLine()).toBe("");
    const tree = (
      await exec("git", ["ls-tree", "-r", "--name-only", "main"], { cwd: remote })
    ).stdout
      .trim()
      .split("\n");
    const lock = JSON.parse(
      (await exec("git", ["show", "main:.glm-image.lock.json"], { cwd: remote })).stdout,
    );
    const listed = Object.keys(lock.images).sort();
    expect(listed).toEqual(["img/a.png", "img/b.png"]);
    for (const path of listed) expect(tree).toContain(path);
  });
});
