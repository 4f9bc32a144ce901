import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionEnv } from "./action-env.ts";

const dist = new URL("../dist/index.js", import.meta.url).pathname;
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

/** Runs the committed bundle the way the runner does: `node dist/index.js` with INPUT_* set. */
function runDist(env: Record<string, string>): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [dist], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout }));
  });
}

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
