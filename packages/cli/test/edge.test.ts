// Through the real edge: `deno serve packages/edge/src/deno.ts` in front of the mock. Nothing of
// the edge package is imported: it is started as users start it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const root = new URL("../../../", import.meta.url).pathname;
const token = "cli-test-token";
let mock: MockServer;
let edge: { origin: string; child: ChildProcess; output: () => string };
let work: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  mock = await startMockServer();
  const port = await freePort();
  const child = spawn(
    `${root}node_modules/.bin/deno`,
    [
      "serve",
      "--quiet",
      "--conditions=source",
      ...["--port", String(port), "--host", "127.0.0.1"],
      ...["--allow-net", "--allow-env", "--allow-read", "--allow-write"],
      "packages/edge/src/deno.ts",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ZHIPU_API_KEY: mock.apiKey,
        ZHIPU_BASE_URL: mock.baseUrl,
        API_TOKENS: token,
        DATA_DIR: await mkdtemp(join(tmpdir(), "glm-image-cli-edge-")),
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  edge = { origin: `http://127.0.0.1:${port}`, child, output: () => output };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the edge exited:\n${output}`);
    const ready = await fetch(`${edge.origin}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 90_000);

afterAll(async () => {
  if (edge?.child.pid && edge.child.exitCode === null) {
    const exited = new Promise((resolve) => edge.child.once("exit", resolve));
    process.kill(-edge.child.pid, "SIGTERM");
    await exited;
  }
  await mock?.close();
});

beforeEach(async () => {
  mock.reset();
  work = await mkdtemp(join(tmpdir(), "glm-image-cli-edge-work-"));
});

/** No ZhiPu key in the CLI's environment: the edge holds it. */
const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { env, cwd: work });

describe("--edge-url and --edge-token", () => {
  it("generates through the edge: image_url is the edge's permanent URL, saved as usual", async () => {
    const result = await run([
      "-p",
      "a lighthouse",
      "--edge-url",
      edge.origin,
      "--edge-token",
      token,
      "--save",
      "lighthouse.png",
    ]);
    expect(result.status).toBe(0);
    expect(result.json?.ok).toBe(true);
    expect(String(result.json?.image_url).startsWith(`${edge.origin}/images/`)).toBe(true);
    expect(result.json?.saved_file).toBe(join(work, "lighthouse.png"));
    expect(result.json?.size).toBe("1280x1280");
    expect(mock.generations).toBe(1);
  });

  it("reads GLM_IMAGE_EDGE_URL and GLM_IMAGE_EDGE_TOKEN", async () => {
    const result = await run(["-p", "a harbour"], {
      GLM_IMAGE_EDGE_URL: edge.origin,
      GLM_IMAGE_EDGE_TOKEN: token,
    });
    expect(result.status).toBe(0);
    expect(String(result.json?.image_url).startsWith(`${edge.origin}/images/`)).toBe(true);
  });

  it("keeps the contract's error codes: a wrong token is authentication_error", async () => {
    const result = await run(["-p", "x", "--edge-url", edge.origin, "--edge-token", "wrong"]);
    expect(result.status).toBe(1);
    expect(result.json?.error).toMatchObject({ code: "authentication_error" });
    expect(result.stdout).not.toContain("wrong");
    expect(mock.generations).toBe(0);
  });

  it("an upstream failure comes back with its code", async () => {
    const result = await run(["-p", "[mock:content-filter] x", "--retries", "0"], {
      GLM_IMAGE_EDGE_URL: edge.origin,
      GLM_IMAGE_EDGE_TOKEN: token,
    });
    expect(result.status).toBe(1);
    expect(result.json?.error).toMatchObject({ code: "content_filter_violation" });
  });

  it("--edge-url without a token is MISSING_API_KEY, exit 2, nothing sent", async () => {
    const result = await run(["-p", "x", "--edge-url", edge.origin]);
    expect(result.status).toBe(2);
    expect(result.json?.error).toMatchObject({ code: "MISSING_API_KEY" });
    expect(mock.requests).toHaveLength(0);
  });
});
