import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type CliRun, mockAndFolder, paidCalls, runCli } from "./run-cli.ts";
import { shellWords } from "./shell-words.ts";

const t = mockAndFolder("glm-image-work-");
let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "glm-image-home-"));
});

/** Every file below a folder, as relative paths: partial files would show here. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

const env = () => ({ ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl, HOME: home });
const run = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: { ...env(), ...extra }, cwd: t.work });

const seedFields = [
  "ok",
  "model",
  "image_url",
  "prompt",
  "size",
  "quality",
  "created",
  "content_filter",
  "saved_file",
  "error",
];

const errorOf = (result: CliRun) => (result.json?.error ?? {}) as Record<string, unknown>;

function expectError(result: CliRun, code: string, status = 1) {
  expect(result.status).toBe(status);
  expect(result.json?.ok).toBe(false);
  expect(errorOf(result).code).toBe(code);
  expect(result.stderr).toContain(code);
}

describe("the seed's example commands", async () => {
  const examples = (await readFile(new URL("./seed-examples.txt", import.meta.url), "utf8"))
    .split("\n")
    .filter((line) => line.startsWith("glm-image "));

  it.each(examples)("%s", async (line) => {
    const args = shellWords(line)
      .slice(1)
      .map((word) => (word.startsWith("~/") ? join(home, word.slice(2)) : word));
    const result = await run(args);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(Object.keys(result.json ?? {}).slice(0, seedFields.length)).toEqual(seedFields);
    expect(result.json?.ok).toBe(true);
    expect(result.json?.image_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    const sent = paidCalls(t.mock).at(-1)?.body as Record<string, unknown>;
    expect(result.json?.size).toBe(sent.size);
    expect(sent.size).toMatch(/^\d+x\d+$/);
    if (args.includes("--save")) {
      const saved = String(result.json?.saved_file);
      expect(saved.startsWith("/")).toBe(true);
      const bytes = await readFile(saved);
      expect(bytes.subarray(1, 4).toString()).toBe("PNG");
      expect(result.json?.bytes).toBe(bytes.length);
    } else {
      expect(result.json?.saved_file).toBeNull();
    }
    expect(t.mock.generations).toBe(1);
  });
});

describe("requests", () => {
  it("applies per-model defaults and sends the ZhiPu body", async () => {
    await run(["-p", "a cat", "-m", "cogview-4", "--no-watermark", "--user-id", "user_12345"]);
    expect(t.mock.requests[0]?.body).toEqual({
      model: "cogview-4",
      prompt: "a cat",
      size: "1024x1024",
      quality: "standard",
      watermark_enabled: false,
      user_id: "user_12345",
    });
    const result = await run(["-p", "a cat"]);
    expect(result.json).toMatchObject({ model: "glm-image", size: "1280x1280", quality: "hd" });
  });

  it("takes --base-url over ZHIPU_BASE_URL", async () => {
    const result = await run(["-p", "x", "--base-url", t.mock.baseUrl], {
      ZHIPU_BASE_URL: "http://127.0.0.1:9/nowhere",
    });
    expect(result.status).toBe(0);
  });

  it("uses the async API with --async", async () => {
    const result = await run(["-p", "a cat", "--async"]);
    expect(result.status).toBe(0);
    expect(t.mock.requests.map((request) => request.path)).toContain(
      "/api/paas/v4/async/images/generations",
    );
    expect(result.json?.image_url).toMatch(/\/files\//);
  });
});

describe("local errors: nothing is sent", () => {
  it.each([
    [["-p", "x", "-s", "512x512"], "INVALID_SIZE"],
    [["-p", "x", "-q", "standard"], "INVALID_QUALITY"],
    [["-p", "x", "-m", "dall-e-3"], "INVALID_MODEL"],
    [["-p", "x", "--user-id", "abc"], "INVALID_USER_ID"],
    [["-p", "   "], "INVALID_PROMPT"],
  ])("%j → %s", async (args, code) => {
    const result = await run(args);
    expectError(result, code, 2);
    expect(t.mock.requests).toHaveLength(0);
  });

  it("explains a bad size with the rule and the recommended sizes", async () => {
    const result = await run(["-p", "x", "-s", "512x512"]);
    const message = errorOf(result).message;
    expect(message).toContain("multiples of 32");
    expect(message).toContain("1568x1056");
  });

  it("MISSING_API_KEY points to where keys are made", async () => {
    const result = await runCli(["-p", "x"], { env: { HOME: home }, cwd: t.work });
    expectError(result, "MISSING_API_KEY", 2);
    expect(errorOf(result).message).toContain("https://bigmodel.cn/usercenter/proj-mgmt/apikeys");
  });

  it.each([
    [["--size", "1280x1280"]],
    [["-p", "x", "--bogus"]],
    [["-p", "x", "--retries", "many"]],
  ])("usage error %j: exit 2, a message on stderr", async (args) => {
    const result = await run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/glm-image: error: .+/);
  });
});

describe("upstream errors keep the contract's codes", () => {
  it("authentication_error, and the key never shows", async () => {
    const key = "sk-secret-0123456789";
    const result = await run(["-p", "x"], { ZHIPU_API_KEY: key });
    expectError(result, "authentication_error");
    expect(result.json?.error).toMatchObject({ status: 401, upstream_code: "1002" });
    expect(result.stdout + result.stderr).not.toContain(key);
  });

  it("rate_limit_exceeded after the retries, each counted", async () => {
    const result = await run(["-p", "[mock:rate-limit] x", "--retries", "2"]);
    expectError(result, "rate_limit_exceeded");
    expect(result.json?.error).toMatchObject({ status: 429, upstream_code: "1302" });
    expect(paidCalls(t.mock)).toHaveLength(3);
    expect(t.mock.generations).toBe(0);
  });

  it("a 429 burst succeeds after retries", async () => {
    const result = await run(["-p", "[mock:rate-limit-2] x"]);
    expect(result.status).toBe(0);
    expect(paidCalls(t.mock)).toHaveLength(3);
    expect(t.mock.generations).toBe(1);
    expect(result.stderr).toContain("rate_limit_exceeded; retry 1");
  });

  it.each([
    ["[mock:quota] x", "quota_exceeded", "1113"],
    ["[mock:content-filter] x", "content_filter_violation", "1301"],
    ["[mock:server-error] x", "upstream_error", "500"],
  ])("%s → %s", async (prompt, code, upstreamCode) => {
    const result = await run(["-p", prompt, "--retries", "1"]);
    expectError(result, code);
    expect(errorOf(result).upstream_code).toBe(upstreamCode);
  });

  it("invalid_request for another upstream 4xx", async () => {
    const result = await run(["-p", "x", "--base-url", `${t.mock.url}/elsewhere`]);
    expectError(result, "invalid_request");
  });

  it("TIMEOUT when no answer comes in time", async () => {
    const result = await run(["-p", "[mock:hang] x", "--timeout", "1"]);
    expectError(result, "TIMEOUT");
  });

  it("NETWORK_ERROR when the connection fails", async () => {
    const result = await run(["-p", "x", "--retries", "0", "--base-url", "http://127.0.0.1:9/api"]);
    expectError(result, "NETWORK_ERROR");
  });
});

describe("--save never leaves a partial file, nor spoils a good one", () => {
  it.each(["broken-url", "truncated", "not-image"])(
    "%s: DOWNLOAD_FAILED, image_url kept",
    async (marker) => {
      const target = join(t.work, "out", "image.png");
      const result = await run(["-p", `[mock:${marker}] x`, "--save", target]);
      expectError(result, "DOWNLOAD_FAILED");
      expect(result.json?.image_url).toMatch(/\/files\//);
      expect(result.json?.saved_file).toBeNull();
      expect(await filesUnder(t.work)).toEqual([]);
    },
  );

  it("keeps the existing file when the new download fails", async () => {
    const target = join(t.work, "image.png");
    await writeFile(target, "the good old image");
    const result = await run(["-p", "[mock:truncated] x", "--save", target]);
    expectError(result, "DOWNLOAD_FAILED");
    expect(await readFile(target, "utf8")).toBe("the good old image");
    expect(await filesUnder(t.work)).toEqual(["image.png"]);
  });

  it("refuses an unwritable path before paying: DOWNLOAD_FAILED (reason INVALID_PATH), exit 2", async () => {
    const file = join(t.work, "file");
    await writeFile(file, "");
    const result = await run(["-p", "x", "--save", join(file, "image.png")]);
    expectError(result, "DOWNLOAD_FAILED", 2);
    expect(errorOf(result).reason).toBe("INVALID_PATH");
    expect(result.json?.image_url).toBeNull();
    expect(t.mock.requests).toHaveLength(0);
    expect(await filesUnder(t.work)).toEqual(["file"]);
  });

  it("creates missing folders and writes relative paths from the working folder", async () => {
    const result = await run(["-p", "x", "--save", "a/b/c.png"]);
    expect(result.json?.saved_file).toBe(join(t.work, "a/b/c.png"));
    expect((await readFile(join(t.work, "a/b/c.png"))).length).toBe(result.json?.bytes);
  });

  it("warns when the extension does not match the real type", async () => {
    const result = await run(["-p", "[mock:jpeg-as-png] x", "--save", "photo.png"]);
    expect(result.status).toBe(0);
    expect(result.json?.content_type).toBe("image/jpeg");
    expect(result.json?.warnings).toEqual([expect.stringContaining("consider .jpg")]);
    expect(result.stderr).toContain("warning");
  });

  it("--out-dir names the file from the prompt and the content key, with the real extension", async () => {
    const result = await run(["-p", "Misty Mountains at dawn", "--out-dir", "images"]);
    expect(result.json?.saved_file).toMatch(/\/images\/misty-mountains-at-dawn-[0-9a-f]{12}\.png$/);
    const again = await run(["-p", "Misty Mountains at dawn", "--out-dir", "images"]);
    expect(again.json?.saved_file).toBe(result.json?.saved_file);
  });
});

describe("warnings, quiet, help, version", () => {
  it("content filter levels 2-3: ok with a warning", async () => {
    const result = await run(["-p", "[mock:content-filter-warning] x"]);
    expect(result.status).toBe(0);
    expect(result.json?.content_filter).toEqual([{ role: "user", level: 2 }]);
    expect(result.json?.warnings).toHaveLength(1);
    expect(result.stderr).toContain("warning: Content filter flagged");
  });

  it("--quiet keeps stderr empty", async () => {
    const result = await run(["-p", "[mock:content-filter-warning] x", "--quiet"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("--help shows the seed's examples; --version the package's", async () => {
    const help = await run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('glm-image --prompt "中国水墨画风格" --save image.png');
    const version = await run(["--version"]);
    const packageJson = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    );
    expect(version.stdout.trim()).toBe(packageJson.version);
  });
});

describe("glm-image sign", () => {
  it("mints a canonical signed render URL offline", async () => {
    const result = await run(
      ["sign", "-p", "a cat", "-s", "1568×1056", "--edge-url", "https://edge.example"],
      {
        SIGNING_SECRET: "s3cret",
      },
    );
    expect(result.status).toBe(0);
    const url = new URL(String(result.json?.url));
    expect(url.origin + url.pathname).toBe("https://edge.example/render");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      prompt: "a cat",
      model: "glm-image",
      size: "1568x1056",
      quality: "hd",
    });
    expect(url.searchParams.get("sig")).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stdout).not.toContain("s3cret");
    expect(t.mock.requests).toHaveLength(0);
  });

  it("needs the secret", async () => {
    const result = await run(["sign", "-p", "a cat", "--edge-url", "https://edge.example"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("SIGNING_SECRET");
  });
});
