// The published packages as a new user gets them: `npm pack` core, node, cli and mock, install
// the tarballs into an empty folder (dependencies from the registry, no workspace links), then
// run the installed `glm-image` against the installed mock with the machine's Node (20 here)
// and with Node 24: --help, --version, a generation with --save, and batch (twice: the second
// pays nothing).
//   npm run test:packed          (GLM_IMAGE_NODES="/usr/bin/node /path/to/node" to choose)
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { packAndInstall } from "./pack-install.ts";

const packages = ["core", "node", "cli", "mock"];
const nodes = (process.env.GLM_IMAGE_NODES ?? `/usr/bin/node ${process.execPath}`)
  .split(/\s+/)
  .filter((node) => node && existsSync(node))
  .map((node) => resolve(node));
const uniqueNodes = [...new Map(nodes.map((node) => [version(node), node])).entries()];

function version(node: string): string {
  return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
}

let folder: string;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), "glm-image-packed-"));
  const tarballs = await packAndInstall(packages, folder);
  assert.equal(tarballs.length, packages.length, `tarballs: ${tarballs.join(", ")}`);
  for (const tarball of tarballs) {
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
    assert.doesNotMatch(
      listing,
      /(?<!\.d)\.ts$/m,
      `${tarball} holds TypeScript source:\n${listing}`,
    );
  }
});

/** Runs a command of the install with `node` first on PATH, as a user's shell would. */
function run(node: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(args[0] ?? "", args.slice(1), {
      cwd,
      env: { PATH: `${dirname(node)}:${process.env.PATH}`, HOME: folder, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

for (const [nodeVersion, node] of uniqueNodes) {
  describe(`the installed packages on Node ${nodeVersion}`, () => {
    let mock: ChildProcess;
    let baseUrl: string;
    let work: string;

    before(async () => {
      work = await mkdtemp(join(folder, "work-"));
      mock = spawn("npx", ["--no-install", "glm-image-mock", "--port", "0"], {
        cwd: folder,
        env: { PATH: `${dirname(node)}:${process.env.PATH}`, HOME: folder },
        stdio: ["ignore", "pipe", "inherit"],
        detached: true,
      });
      baseUrl = await new Promise<string>((resolve, reject) => {
        let text = "";
        mock.stdout?.on("data", (chunk: Buffer) => {
          text += chunk;
          const match = /base URL ([^\s,]+)/.exec(text);
          if (match?.[1]) resolve(match[1]);
        });
        mock.once("exit", (code) => reject(new Error(`the mock exited with ${code}: ${text}`)));
      });
    });
    after(() => {
      // npx runs the mock as its child: end the whole process group.
      if (mock?.pid) process.kill(-mock.pid, "SIGTERM");
    });

    const glmImage = (args: string[]) =>
      run(node, ["npx", "--no-install", "glm-image", ...args], work, {
        ZHIPU_API_KEY: "test-key",
        ZHIPU_BASE_URL: baseUrl,
      });

    it("glm-image --help", async () => {
      const result = await glmImage(["--help"]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Usage:/);
      assert.match(result.stdout, /batch MANIFEST/);
    });

    it("glm-image --version (answered by the bin before the bundle loads)", async () => {
      const result = await glmImage(["--version"]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
    });

    it("node is the one asked for", async () => {
      const result = await run(node, ["node", "--version"], work);
      assert.equal(result.stdout.trim(), nodeVersion);
    });

    it("a generation with --save against the installed mock", async () => {
      const result = await glmImage(["-p", "a cat", "--save", "cat.png"]);
      assert.equal(result.status, 0, result.stderr);
      const json = JSON.parse(result.stdout) as { ok: boolean; saved_file: string };
      assert.equal(json.ok, true);
      assert.equal(json.saved_file, join(work, "cat.png"));
      assert.equal((await readFile(json.saved_file)).subarray(1, 4).toString(), "PNG");
    });

    it("batch, then batch again: everything skipped", async () => {
      await writeFile(
        join(work, "images.yml"),
        "- path: img/a.png\n  prompt: a\n- path: img/b.png\n  prompt: b\n",
      );
      const first = await glmImage(["batch", "images.yml"]);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /"summary":\{"total":2,"generated":2,"skipped":0,"failed":0\}/);
      const second = await glmImage(["batch", "images.yml"]);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /"summary":\{"total":2,"generated":0,"skipped":2,"failed":0\}/);
    });
  });
}
