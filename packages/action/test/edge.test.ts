import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { run } from "../src/main.ts";
import { actionEnv, applyEnv, captureStdout } from "./action-env.ts";

let mock: MockServer;
let edge: Service;
let restore: (() => void) | undefined;

/** A real edge service (its Deno entry) in front of the mock upstream. */
beforeAll(async () => {
  mock = await startMockServer();
  edge = await startDenoEdge(mock.baseUrl, await mkdtemp(join(tmpdir(), "glm-image-edge-")));
});
afterAll(async () => {
  await edge?.stop();
  await mock.close();
});
afterEach(() => restore?.());

describe("through a deployed edge", () => {
  it("generates with edge-url and edge-token, and records the permanent URL", async () => {
    const stdout = captureStdout();
    const context = await actionEnv({
      prompt: "A banner through the edge",
      path: "banner.png",
      "edge-url": edge.origin,
      "edge-token": "token-two",
      "upload-artifact": "false",
    });
    restore = applyEnv(context.env);
    await run();
    expect(process.exitCode).toBeUndefined();
    const images = JSON.parse((await context.outputs()).images ?? "[]");
    expect(images[0].image_url).toMatch(new RegExp(`^${edge.origin}/images/[0-9a-f]{64}\\.png$`));
    expect((await readFile(join(context.workspace, "banner.png"))).subarray(1, 4).toString()).toBe(
      "PNG",
    );
    expect(stdout.join("")).toContain("::add-mask::token-two");
    expect(mock.generations).toBe(1);
  });

  it("reports the edge's error codes", async () => {
    const stdout = captureStdout();
    const context = await actionEnv({
      prompt: "x",
      path: "a.png",
      "edge-url": edge.origin,
      "edge-token": "not-a-token",
      "upload-artifact": "false",
    });
    restore = applyEnv(context.env);
    await run();
    expect(process.exitCode).toBe(1);
    expect(stdout.join("")).toMatch(
      /::error::.*a\.png: authentication_error: Unknown bearer token/,
    );
  });
});
