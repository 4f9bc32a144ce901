import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionEnv } from "./action-env.ts";
import { runDist } from "./run-dist.ts";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

describe("dist/index.js", () => {
  it("generates, writes outputs and exits 0", async () => {
    const context = await actionEnv({
      prompt: "A README banner",
      path: "docs/banner.png",
      "api-key": "test-key",
      "base-url": mock.baseUrl,
      "upload-artifact": "false",
    });
    const result = await runDist(context.env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("::add-mask::test-key");
    const outputs = await context.outputs();
    expect(outputs.generated).toBe("1");
    expect(JSON.parse(outputs.images ?? "[]")[0].status).toBe("generated");
    const image = await readFile(join(context.workspace, "docs/banner.png"));
    expect(image.subarray(1, 4).toString()).toBe("PNG");
  });

  it("fails with exit 1 and an ::error:: line on bad input", async () => {
    const context = await actionEnv({
      prompt: "x",
      path: "../escape.png",
      "upload-artifact": "false",
    });
    const result = await runDist(context.env);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error::.*outside the workspace/);
  });
});
