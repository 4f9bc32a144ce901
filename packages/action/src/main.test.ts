import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type ActionEnv, actionEnv, applyEnv, captureStdout } from "../test/action-env.ts";
import { run } from "./main.ts";

let mock: MockServer;
let restore: (() => void) | undefined;
let stdout: string[];

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  stdout = captureStdout();
});
afterEach(() => {
  vi.restoreAllMocks();
  restore?.();
  restore = undefined;
});

const base = () => ({
  "api-key": mock.apiKey,
  "base-url": mock.baseUrl,
  "upload-artifact": "false",
});

async function runWith(inputs: Record<string, string>, existing?: ActionEnv): Promise<ActionEnv> {
  const context = existing ?? (await actionEnv({ ...base(), ...inputs }));
  restore?.();
  restore = applyEnv(context.env);
  await run();
  return context;
}

const failedMessage = () => stdout.filter((line) => line.startsWith("::error::")).join("");

describe("one image", () => {
  it("generates the prompt into path, with outputs and a summary", async () => {
    const context = await runWith({
      prompt: "A banner with mountains",
      path: "docs/banner.png",
      size: "1728x960",
    });
    expect(process.exitCode).toBeUndefined();
    const outputs = await context.outputs();
    const images = JSON.parse(outputs.images ?? "[]");
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      path: "docs/banner.png",
      prompt: "A banner with mountains",
      model: "glm-image",
      size: "1728x960",
      quality: "hd",
      status: "generated",
    });
    const bytes = await readFile(join(context.workspace, "docs/banner.png"));
    expect(bytes.readUInt32BE(16)).toBe(1728);
    const { createHash } = await import("node:crypto");
    expect(images[0].sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(outputs).toMatchObject({
      path: "docs/banner.png",
      generated: "1",
      skipped: "0",
      "commit-sha": "",
      "artifact-id": "",
    });
    expect(outputs["image-url"]).toBe(images[0].image_url);
    const summary = await context.summary();
    expect(summary).toContain("<code>docs/banner.png</code>");
    expect(summary).toContain(`<img src="${images[0].image_url.replace(/&/g, "&#38;")}"`);
    expect(mock.generations).toBe(1);
  });

  it("records the image in the lock file", async () => {
    const context = await runWith({ prompt: "x", path: "a.png" });
    const lock = JSON.parse(
      await readFile(join(context.workspace, ".glm-image.lock.json"), "utf8"),
    );
    expect(lock.version).toBe(1);
    expect(lock.images["a.png"]).toMatchObject({
      prompt: "x",
      model: "glm-image",
      size: "1280x1280",
    });
    expect(lock.images["a.png"].key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("a manifest", () => {
  const manifest = `
- path: images/one.png
  prompt: first
- path: images/two.png
  prompt: second
  model: cogview-4
  size: 1344x768
- path: images/three.png
  prompt: third
  watermark: false
`;

  it("generates every image, with per-item settings over the defaults", async () => {
    const context = await runWith({ manifest, concurrency: "3", quality: "hd" });
    expect(process.exitCode).toBeUndefined();
    const images = JSON.parse((await context.outputs()).images ?? "[]");
    expect(images.map((image: { path: string }) => image.path)).toEqual([
      "images/one.png",
      "images/two.png",
      "images/three.png",
    ]);
    expect(images[1]).toMatchObject({ model: "cogview-4", size: "1344x768", quality: "hd" });
    const sent = mock.requests.map((request) => request.body as Record<string, unknown>);
    expect(sent.find((body) => body.prompt === "third")?.watermark_enabled).toBe(false);
    expect(mock.generations).toBe(3);
  });

  it("reads the list from a JSON file in the workspace", async () => {
    const context = await actionEnv({ ...base(), manifest: "images.json" });
    await writeFile(
      join(context.workspace, "images.json"),
      JSON.stringify([{ path: "x.png", prompt: "from json" }]),
    );
    await runWith({}, context);
    expect(process.exitCode).toBeUndefined();
    expect(mock.generations).toBe(1);
  });

  it("skips unchanged images on the next run: zero upstream calls", async () => {
    const context = await runWith({ manifest });
    mock.reset();
    await runWith({}, context);
    expect(mock.requests).toHaveLength(0);
    const outputs = await context.outputs();
    expect(outputs.skipped).toBe("3");
    expect(outputs.generated).toBe("0");
  });

  it("regenerates what changed: a prompt, or a file that is not the recorded one", async () => {
    const context = await runWith({ manifest });
    mock.reset();
    await writeFile(join(context.workspace, "images/two.png"), "edited by hand");
    const changed = manifest.replace("prompt: first", "prompt: first, again");
    context.env.INPUT_MANIFEST = changed;
    await runWith({}, context);
    expect(mock.generations).toBe(2);
    expect(
      JSON.parse((await context.outputs()).images ?? "[]").map(
        (image: { status: string }) => image.status,
      ),
    ).toEqual(["generated", "generated", "skipped"]);
  });

  it("regenerates everything with skip-unchanged false", async () => {
    const context = await runWith({ manifest });
    mock.reset();
    context.env["INPUT_SKIP-UNCHANGED"] = "false";
    await runWith({}, context);
    expect(mock.generations).toBe(3);
  });

  it("finishes the others when one image fails, then fails the step saying which", async () => {
    const context = await runWith({
      manifest: `${manifest}- path: images/bad.png\n  prompt: "[mock:content-filter] bad"\n`,
    });
    expect(process.exitCode).toBe(1);
    expect(failedMessage()).toContain("1 of 4 images failed");
    expect(failedMessage()).toContain("images/bad.png: content_filter_violation");
    expect(mock.generations).toBe(3);
    const outputs = await context.outputs();
    expect(outputs.generated).toBe("3");
    expect(await context.summary()).toContain("failed: content_filter_violation");
  });
});

describe("bad inputs fail before anything is paid for", () => {
  it.each([
    [{ prompt: "x", path: "a.png", model: "dall-e-3" }, "input model: Unknown model"],
    [{ prompt: "x", path: "a.png", size: "512x512" }, "INVALID_SIZE"],
    [{ prompt: "x", path: "a.png", quality: "standard" }, "INVALID_QUALITY"],
    [{ prompt: "x", path: "../outside.png" }, "outside the workspace"],
    [{ prompt: "x", path: "/etc/passwd" }, "outside the workspace"],
    [{ manifest: "../manifest.yml" }, 'manifest "../manifest.yml" is outside the workspace'],
    [
      { prompt: "x", path: "a.png", manifest: "- {path: b.png, prompt: y}" },
      "set exactly one of prompt",
    ],
    [{}, "set exactly one of prompt"],
    [{ prompt: "x" }, "prompt needs a path"],
    [{ prompt: "x", path: "a.png", concurrency: "0" }, "concurrency must be auto or 1 to 16"],
    [{ prompt: "x", path: "a.png", commit: "yes" }, "commit must be true or false"],
    [
      { prompt: "x", path: "a.png", "edge-url": "https://edge.example" },
      "edge-url and edge-token go together",
    ],
    [{ manifest: "- {path: a.png}" }, "item 1.prompt: prompt is required"],
    [{ manifest: "- {path: a.png, prompt: x}\n- {path: a.png, prompt: y}" }, "listed twice"],
    [
      {
        manifest:
          "- {path: a.png, prompt: x, size: 100x100}\n- {path: b.png, prompt: y, model: nope}",
      },
      "INVALID_SIZE",
    ],
  ])("%j", async (inputs, message) => {
    await runWith(inputs as Record<string, string>);
    expect(process.exitCode).toBe(1);
    expect(failedMessage()).toContain(message);
    expect(mock.requests).toHaveLength(0);
  });

  it("MISSING_API_KEY without a key", async () => {
    const context = await actionEnv({
      prompt: "x",
      path: "a.png",
      "base-url": mock.baseUrl,
      "upload-artifact": "false",
    });
    await runWith({}, context);
    expect(failedMessage()).toContain("MISSING_API_KEY");
  });
});

describe("secrets", () => {
  it("masks the API key and tokens, and never prints them", async () => {
    const key = "sk-live-secret-abcdef";
    await runWith({
      prompt: "x",
      path: "a.png",
      "api-key": key,
      "github-token": "ghs_token_123456",
    });
    const printed = stdout.join("");
    expect(printed).toContain(`::add-mask::${key}`);
    expect(printed).toContain("::add-mask::ghs_token_123456");
    expect(printed.replaceAll(`::add-mask::${key}`, "")).not.toContain(key);
    expect(failedMessage()).toContain("authentication_error");
  });
});

describe("paths", () => {
  it("creates folders and overwrites only with a complete image", async () => {
    const context = await actionEnv({
      ...base(),
      prompt: "[mock:truncated] x",
      path: "deep/er/a.png",
    });
    await mkdir(join(context.workspace, "deep/er"), { recursive: true });
    await writeFile(join(context.workspace, "deep/er/a.png"), "old");
    await runWith({}, context);
    expect(process.exitCode).toBe(1);
    expect(failedMessage()).toContain("DOWNLOAD_FAILED");
    expect(await readFile(join(context.workspace, "deep/er/a.png"), "utf8")).toBe("old");
  });
});
