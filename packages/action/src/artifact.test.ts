import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { actionEnv, applyEnv, captureStdout } from "../test/action-env.ts";
import {
  type ArtifactService,
  startArtifactService,
  zipEntryNames,
} from "../test/artifact-service.ts";
import { run } from "./main.ts";

let mock: MockServer;
let service: ArtifactService;
let restore: (() => void) | undefined;
let stdout: string[];

beforeAll(async () => {
  mock = await startMockServer();
  service = await startArtifactService();
});
afterAll(async () => {
  await mock.close();
  await service.close();
});
beforeEach(() => {
  stdout = captureStdout();
});
afterEach(() => {
  vi.restoreAllMocks();
  restore?.();
});

async function runUpload(name: string) {
  const context = await actionEnv(
    {
      manifest: "- {path: img/a.png, prompt: first}\n- {path: img/b.png, prompt: second}",
      "api-key": mock.apiKey,
      "base-url": mock.baseUrl,
      "upload-artifact": "true",
      "artifact-name": name,
    },
    { ACTIONS_RUNTIME_TOKEN: service.token, ACTIONS_RESULTS_URL: `${service.url}/` },
  );
  restore?.();
  restore = applyEnv(context.env);
  await run();
  return context;
}

describe("upload-artifact", () => {
  it("uploads the generated images with the real @actions/artifact client", async () => {
    const context = await runUpload("banners");
    expect(process.exitCode).toBeUndefined();
    const outputs = await context.outputs();
    expect(outputs["artifact-id"]).toMatch(/^\d+$/);
    const zip = service.artifacts.get("banners");
    expect(zip).toBeDefined();
    expect(zipEntryNames(zip ?? Buffer.alloc(0)).sort()).toEqual(["img/a.png", "img/b.png"]);
  });

  it("explains a name clash (409) and the matrix remedy", async () => {
    await runUpload("twice");
    await runUpload("twice");
    expect(process.exitCode).toBe(1);
    const error = stdout.filter((line) => line.startsWith("::error::")).join("");
    expect(error).toContain('An artifact named "twice" already exists');
    expect(error).toContain("matrix");
  });

  it("writes the outputs and the summary when the upload fails after generation", async () => {
    await runUpload("taken");
    const context = await runUpload("taken");
    expect(process.exitCode).toBe(1);
    const outputs = await context.outputs();
    expect(outputs).toMatchObject({ path: "img/a.png", generated: "2", "artifact-id": "" });
    expect(outputs["image-url"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    expect(await context.summary()).toContain("<code>img/b.png</code>");
  });
});
