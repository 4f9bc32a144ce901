// The published packages as a new user gets them: `npm pack` core, node, cli, mock and ai-sdk,
// install the tarballs into an empty folder with the AI SDK's `ai` (dependencies from the
// registry, no workspace links), check that every file their manifests name is there, then run
// the installed `glm-image` against the installed mock with the machine's Node (20 here) and
// with Node 24: --help, --version, a generation with --save, `glm-image mcp` over stdio, and batch
// (twice: the second pays nothing); and the AI SDK's generateImage with the installed provider.
//   npm run test:packed          (GLM_IMAGE_NODES="/usr/bin/node /path/to/node" to choose)
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { packAndInstall } from "./pack-install.ts";

const packages = ["core", "node", "cli", "mock", "ai-sdk"];
/** What a user of @glm-image/ai-sdk installs beside it: the AI SDK, the major it was built for. */
const aiSdk = `ai@${
  (
    JSON.parse(
      await readFile(new URL("../packages/ai-sdk/package.json", import.meta.url), "utf8"),
    ) as { devDependencies: Record<string, string> }
  ).devDependencies.ai
}`;
const nodes = (process.env.GLM_IMAGE_NODES ?? `/usr/bin/node ${process.execPath}`)
  .split(/\s+/)
  .filter((node) => node && existsSync(node))
  .map((node) => resolve(node));
const uniqueNodes = [...new Map(nodes.map((node) => [version(node), node])).entries()];

function version(node: string): string {
  return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
}

let folder: string;
const repositoryManifests = () =>
  Promise.all(
    packages.map((name) =>
      readFile(new URL(`../packages/${name}/package.json`, import.meta.url), "utf8"),
    ),
  );
let manifestsBefore: string[];
let manifestsAfter: string[];

before(async () => {
  folder = await mkdtemp(join(tmpdir(), "glm-image-packed-"));
  manifestsBefore = await repositoryManifests();
  const tarballs = await packAndInstall(packages, folder, [aiSdk]);
  manifestsAfter = await repositoryManifests();
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

type Targets = string | null | Targets[] | { [key: string]: Targets };

/** Every path a manifest field names: exports (any condition, any depth), main, types, bin. */
function targetsOf(value: Targets | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(targetsOf);
  return Object.values(value).flatMap(targetsOf);
}

describe("the installed manifests", () => {
  it("packing leaves the repository's own manifests as they were (source condition kept)", () => {
    assert.deepEqual(manifestsAfter, manifestsBefore);
    for (const name of packages) {
      assert.ok(
        !existsSync(new URL(`../packages/${name}/package.json.before-pack`, import.meta.url)),
      );
    }
  });

  for (const name of packages) {
    it(`@glm-image/${name} names only files it ships (exports, main, types, bin)`, async () => {
      const directory = join(folder, "node_modules", "@glm-image", name);
      const manifest = JSON.parse(await readFile(join(directory, "package.json"), "utf8")) as {
        [field: string]: Targets;
      };
      const targets = ["exports", "main", "types", "bin"].flatMap((field) =>
        targetsOf(manifest[field]),
      );
      assert.ok(targets.length > 0, `@glm-image/${name} names no entry point`);
      const missing = targets.filter((target) => !existsSync(join(directory, target)));
      assert.deepEqual(missing, [], `@glm-image/${name}'s package.json names missing files`);
    });
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

    it("the AI SDK's generateImage with the installed @glm-image/ai-sdk", async () => {
      const script = join(work, "ai-sdk.mjs");
      await writeFile(
        script,
        [
          'import { generateImage } from "ai";',
          'import { glmImage } from "@glm-image/ai-sdk";',
          "const { image, providerMetadata } = await generateImage({",
          '  model: glmImage("glm-image"),',
          '  prompt: "a lighthouse",',
          '  aspectRatio: "16:9",',
          "});",
          "const [metadata] = providerMetadata.glmImage.images;",
          "console.log(JSON.stringify({ mediaType: image.mediaType, bytes: image.uint8Array.length, ...metadata }));",
        ].join("\n"),
      );
      const result = await run(node, ["node", script], work, {
        ZHIPU_API_KEY: "test-key",
        ZHIPU_BASE_URL: baseUrl,
      });
      assert.equal(result.status, 0, result.stderr);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.equal(json.mediaType, "image/png");
      assert.ok(Number(json.bytes) > 0);
      assert.equal(json.size, "1728x960");
      assert.match(String(json.url), /^http:\/\/127\.0\.0\.1:\d+\/files\//);
    });

    it("glm-image mcp over stdio: the SDK's Client lists its tools and generates into --out-dir", async () => {
      const client = new Client({ name: "packed-test", version: "0.0.0" });
      await client.connect(
        new StdioClientTransport({
          command: "npx",
          args: ["--no-install", "glm-image", "mcp", "--out-dir", "mcp-images", "--quiet"],
          cwd: work,
          env: {
            PATH: `${dirname(node)}:${process.env.PATH}`,
            HOME: folder,
            ZHIPU_API_KEY: "test-key",
            ZHIPU_BASE_URL: baseUrl,
          },
        }),
      );
      try {
        const { tools } = await client.listTools();
        assert.ok(tools.some((tool) => tool.name === "generate_image"));
        const result = (await client.callTool({
          name: "generate_image",
          arguments: { prompt: "a kite", model: "cogview-4" },
        })) as { isError?: boolean; structuredContent?: { url: string } };
        assert.ok(!result.isError, JSON.stringify(result));
        const file = fileURLToPath(result.structuredContent?.url ?? "");
        assert.equal(dirname(file), join(work, "mcp-images"));
        assert.equal((await readFile(file)).subarray(1, 4).toString(), "PNG");
      } finally {
        await client.close();
      }
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
