// Issue 18: the action's journal of paid work, beside its lock file. The committed bundle runs as
// the runner runs it (`node dist/index.js`); killed mid-run (kill -9: a cancelled job, a runner
// that dies), then run again, it pays once per distinct image. The mock's paid counter is the
// witness.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type MockServer, startMockServer } from "@glm-image/mock";
import {
  journalEntries,
  paidCalls as paidCallsOf,
  partFiles,
  runProcess,
  startProcess,
} from "@glm-image/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actionEnv } from "./action-env.ts";

const exec = promisify(execFile);
const dist = new URL("../dist/index.js", import.meta.url).pathname;
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const inputs = (manifest: string, extra: Record<string, string> = {}) => ({
  manifest,
  "api-key": mock.apiKey,
  "base-url": mock.baseUrl,
  "upload-artifact": "false",
  ...extra,
});
const processEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? "", ...env });
const runDist = (env: Record<string, string>) =>
  runProcess(process.execPath, [dist], { env: processEnv(env) });
const paidCalls = () => paidCallsOf(mock);
const journalOf = (workspace: string) => journalEntries(join(workspace, ".glm-image.journal"));

const slowManifest = [1, 2, 3, 4, 5, 6]
  .map((n) => `- {path: img/${n}.png, prompt: "[mock:slow-task=2500] banner ${n}"}\n`)
  .join("");

describe("dist/index.js killed mid-run, then run again", () => {
  it("pays once per distinct image: 6 for 6, no .part file left", { timeout: 60_000 }, async () => {
    const context = await actionEnv(inputs(slowManifest, { concurrency: "2" }));
    const killed = startProcess(process.execPath, [dist], { env: processEnv(context.env) });
    // Two images done, two accepted by the async API (their task ids journaled) and nothing else
    // under way: both slots wait on tasks that take 2.5 s, so nothing moves before the kill.
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`only ${paidCalls().length} paid calls`);
      const entries = await journalOf(context.workspace);
      const submitted = entries.filter((entry) => entry.state === "submitted");
      if (paidCalls().length >= 4 && submitted.length === 2 && entries.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    killed.child.kill("SIGKILL");
    await killed.result;

    const rerun = await runDist(context.env);
    expect(rerun.stdout).not.toContain("::error::");
    expect(rerun.status).toBe(0);
    expect(mock.generations).toBe(6);
    expect(paidCalls()).toHaveLength(6);
    expect(await partFiles(context.workspace)).toEqual([]);
    const lock = JSON.parse(
      await readFile(join(context.workspace, ".glm-image.lock.json"), "utf8"),
    );
    expect(Object.keys(lock.images)).toHaveLength(6);
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const bytes = await readFile(join(context.workspace, `img/${n}.png`));
      expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    }
    expect(await journalOf(context.workspace)).toEqual([]);
  });
});

describe("the journal is committed with the lock file", () => {
  it("a paid image whose download failed is committed, and a fresh checkout resumes it without paying", async () => {
    const root = await mkdtemp(join(tmpdir(), "glm-image-journal-commit-"));
    const remote = join(root, "remote.git");
    await exec("git", ["init", "--bare", "--initial-branch=main", remote]);
    const manifest = "- {path: docs/banner.png, prompt: a banner}\n";
    const first = await actionEnv(inputs(manifest, { commit: "true" }));
    const git = (cwd: string, ...args: string[]) => exec("git", args, { cwd });
    await git(first.workspace, "init", "--initial-branch=main");
    await git(first.workspace, "remote", "add", "origin", remote);
    await git(first.workspace, "commit", "--allow-empty", "-m", "start", "--author=a <a@b.c>");
    await git(first.workspace, "push", "origin", "main");

    mock.setDownloads("broken-url");
    const failed = await runDist({
      ...first.env,
      GIT_COMMITTER_NAME: "a",
      GIT_COMMITTER_EMAIL: "a@b.c",
    });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/::error::.*DOWNLOAD_FAILED.*journal keeps the paid image's URL/);
    const tree = (await git(remote, "ls-tree", "-r", "--name-only", "main")).stdout;
    expect(tree).toMatch(/^\.glm-image\.journal\/[0-9a-f]{64}\.json$/m);

    // The next run starts from a fresh clone (a new runner), with the image URL working again.
    mock.setDownloads("working");
    const second = await actionEnv(inputs(manifest, { commit: "true" }));
    await exec("git", ["clone", "-q", remote, second.workspace]);
    const resumed = await runDist(second.env);
    expect(resumed.stdout).not.toContain("::error::");
    expect(resumed.stdout).toContain("downloading the paid image from the journal");
    expect(resumed.status).toBe(0);
    expect(mock.generations).toBe(1);
    const after = (await git(remote, "ls-tree", "-r", "--name-only", "main")).stdout;
    expect(after).toContain("docs/banner.png");
    expect(after).not.toContain(".glm-image.journal/");
  });
});

describe("two manifest paths that name one file", () => {
  it("through a symbolic link inside the workspace: refused before anything is paid", async () => {
    const context = await actionEnv(
      inputs("- {path: docs/a.png, prompt: one}\n- {path: alias/a.png, prompt: two}\n"),
    );
    await mkdir(join(context.workspace, "docs"));
    await symlink("docs", join(context.workspace, "alias"));
    const result = await runDist(context.env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'manifest item 2 ("alias/a.png"): path alias/a.png is the same file as docs/a.png',
    );
    expect(mock.requests).toHaveLength(0);
    expect(mock.generations).toBe(0);
  });
});
