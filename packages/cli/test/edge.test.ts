// Through the real edge: `deno serve packages/edge/src/deno.ts` in front of the mock. Nothing of
// the edge package is imported: it is started as users start it.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const token = "cli-test-token";
let mock: MockServer;
let edge: Service;
let work: string;

beforeAll(async () => {
  mock = await startMockServer();
  edge = await startDenoEdge(mock.baseUrl, await mkdtemp(join(tmpdir(), "glm-image-cli-edge-")), {
    ZHIPU_API_KEY: mock.apiKey,
    API_TOKENS: token,
  });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
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

  it("a code of the edge's own comes back as the edge named it: a wrong edge path is not_found", async () => {
    const result = await run([
      "-p",
      "x",
      "--edge-url",
      `${edge.origin}/nowhere`,
      "--edge-token",
      token,
    ]);
    expect(result.status).toBe(1);
    expect(result.json?.error).toMatchObject({
      code: "not_found",
      status: 404,
      message: expect.stringMatching(/nowhere/),
    });
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
