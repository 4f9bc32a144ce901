import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mockAndFolder, runCli, startCli } from "./run-cli.ts";

const t = mockAndFolder("glm-image-batch-");

const run = (args: string[]) =>
  runCli(args, {
    env: { ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl },
    cwd: t.work,
  });
const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const manifest = `# the action's manifest format
- path: images/cat.png
  prompt: a cat on a windowsill
- path: images/city.png
  prompt: a city at night
  size: 1568x1056
`;

describe("glm-image batch MANIFEST", () => {
  it("generates each image, one line each and a summary, then skips what is unchanged", async () => {
    await writeFile(join(t.work, "images.yml"), manifest);
    const first = await run(["batch", "images.yml"]);
    expect(first.status).toBe(0);
    const firstLines = lines(first.stdout);
    expect(firstLines).toHaveLength(3);
    const images = firstLines
      .slice(0, 2)
      .sort((a, b) => String(a.path).localeCompare(String(b.path)));
    expect(images.map((line) => [line.path, line.status, line.ok])).toEqual([
      ["images/cat.png", "generated", true],
      ["images/city.png", "generated", true],
    ]);
    expect(images[1]?.size).toBe("1568x1056");
    expect(firstLines[2]).toMatchObject({
      ok: true,
      summary: { total: 2, generated: 2, skipped: 0, failed: 0 },
    });
    expect(t.mock.generations).toBe(2);
    const lock = JSON.parse(await readFile(join(t.work, ".glm-image.lock.json"), "utf8"));
    expect(Object.keys(lock.images).sort()).toEqual(["images/cat.png", "images/city.png"]);
    expect((await readFile(join(t.work, "images/cat.png"))).subarray(1, 4).toString()).toBe("PNG");

    t.mock.reset();
    const second = await run(["batch", "images.yml"]);
    expect(second.status).toBe(0);
    expect(t.mock.requests).toHaveLength(0);
    const secondLines = lines(second.stdout);
    expect(secondLines.slice(0, 2).map((line) => line.status)).toEqual(["skipped", "skipped"]);
    expect(secondLines[2]).toMatchObject({ summary: { generated: 0, skipped: 2, failed: 0 } });
  });

  it("exits 1 when any image failed, and still makes the others", async () => {
    await writeFile(
      join(t.work, "images.json"),
      JSON.stringify([
        { path: "ok.png", prompt: "fine" },
        { path: "no.png", prompt: "[mock:quota] broke" },
      ]),
    );
    const result = await run(["batch", "images.json", "--concurrency", "1", "--retries", "0"]);
    expect(result.status).toBe(1);
    const [ok, failed, summary] = lines(result.stdout);
    expect(ok).toMatchObject({ path: "ok.png", status: "generated", ok: true });
    expect(failed).toMatchObject({ path: "no.png", status: "failed", ok: false });
    expect(failed?.error).toMatchObject({ code: "quota_exceeded" });

    expect(summary).toMatchObject({ ok: false, summary: { generated: 1, failed: 1 } });
  });

  it("a bad manifest is a usage error listing every problem, nothing paid", async () => {
    await writeFile(
      join(t.work, "images.yml"),
      "- path: a.png\n  prompt: x\n  size: 1x1\n- path: ../outside.png\n  prompt: y\n",
    );
    const result = await run(["batch", "images.yml"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("INVALID_SIZE");
    expect(result.stderr).toContain("outside the workspace");
    expect(t.mock.requests).toHaveLength(0);
  });

  it("SIGINT: the image in flight and those waiting answer INTERRUPTED, nothing more is paid", async () => {
    await writeFile(
      join(t.work, "images.yml"),
      [1, 2, 3]
        .map((n) => `- path: img/${n}.png\n  prompt: "[mock:slow-download=30000] ${n}"\n`)
        .join(""),
    );
    const started = startCli(["batch", "images.yml", "--concurrency", "1"], {
      env: { ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl },
      cwd: t.work,
    });
    // Wait until the first download has begun writing its temporary file.
    for (;;) {
      const names = await readdir(join(t.work, "img")).catch(() => []);
      const part = names.find((name) => name.endsWith(".part"));
      if (part && (await stat(join(t.work, "img", part))).size > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    started.child.kill("SIGINT");
    const result = await started.result;
    expect(result.status).toBe(130);
    const [first, second, third, summary] = lines(result.stdout);
    expect(first?.error).toMatchObject({ code: "INTERRUPTED" });
    expect(first?.image_url).toMatch(/\/files\//);
    for (const line of [second, third]) {
      expect(line?.error).toMatchObject({ code: "INTERRUPTED" });
      expect(line?.image_url).toBeNull();
    }
    expect(summary).toMatchObject({ ok: false, summary: { failed: 3 } });
    expect(t.mock.generations).toBe(1);
    expect(await readdir(join(t.work, "img"))).toEqual([]);
  });
});

describe("two manifest paths that name one file", () => {
  it("through a symbolic link inside the workspace: refused before anything is paid", async () => {
    const { mkdir, symlink } = await import("node:fs/promises");
    await mkdir(join(t.work, "docs"));
    await symlink("docs", join(t.work, "alias"));
    await writeFile(
      join(t.work, "images.yml"),
      "- {path: docs/a.png, prompt: one}\n- {path: alias/a.png, prompt: two}\n",
    );
    const result = await run(["batch", "images.yml"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'manifest item 2 ("alias/a.png"): path alias/a.png is the same file as docs/a.png',
    );
    expect(t.mock.requests).toHaveLength(0);
    expect(t.mock.generations).toBe(0);
  });
});

describe("a manifest path that cannot be written", () => {
  it("is DOWNLOAD_FAILED with reason INVALID_PATH, that image not paid for", async () => {
    await writeFile(join(t.work, "file"), "");
    await writeFile(
      join(t.work, "images.yml"),
      "- {path: file/a.png, prompt: blocked}\n- {path: ok.png, prompt: fine}\n",
    );
    const result = await run(["batch", "images.yml", "--concurrency", "1"]);
    expect(result.status).toBe(1);
    const [blocked, fine] = lines(result.stdout);
    expect(blocked?.error).toMatchObject({
      code: "DOWNLOAD_FAILED",
      reason: "INVALID_PATH",
      message: expect.stringContaining("file/a.png"),
    });
    expect(fine).toMatchObject({ status: "generated" });
    expect(t.mock.generations).toBe(1);
  });
});

describe("glm-image batch MANIFEST --dry-run", () => {
  it("plans and prices without a key or a request, and agrees with the run that follows", async () => {
    await writeFile(
      join(t.work, "images.yml"),
      `${manifest}- path: images/flash.png\n  prompt: a quick sketch\n  model: cogview-3-flash\n`,
    );
    // No ZHIPU_API_KEY: a dry run sends nothing, so it needs none.
    const dry = await runCli(["batch", "images.yml", "--dry-run"], {
      env: { ZHIPU_BASE_URL: t.mock.baseUrl },
      cwd: t.work,
    });
    expect(dry.status).toBe(0);
    const planned = lines(dry.stdout);
    expect(planned.slice(0, 3).map((line) => [line.path, line.status, line.image_url])).toEqual([
      ["images/cat.png", "planned", null],
      ["images/city.png", "planned", null],
      ["images/flash.png", "planned", null],
    ]);
    expect(planned[3]).toMatchObject({
      ok: true,
      dry_run: true,
      summary: { total: 3, planned: 3, skipped: 0 },
      estimated_cost: { cny: 0.2, usd: 0.03 },
    });
    expect(dry.stderr).toContain("dry run: 3 to generate, 0 unchanged; estimated cost 0.2 CNY");
    expect(t.mock.requests).toHaveLength(0);
    expect(await readdir(t.work)).toEqual(["images.yml"]);

    // Generate one of them; the next dry run says it is unchanged and prices only the others.
    await writeFile(
      join(t.work, "one.yml"),
      "- path: images/cat.png\n  prompt: a cat on a windowsill\n",
    );
    expect((await run(["batch", "one.yml"])).status).toBe(0);
    t.mock.reset();
    const again = lines((await run(["batch", "images.yml", "--dry-run", "--quiet"])).stdout);
    expect(again.slice(0, 3).map((line) => line.status)).toEqual(["skipped", "planned", "planned"]);
    expect(again[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(again[3]).toMatchObject({
      summary: { total: 3, planned: 2, skipped: 1 },
      estimated_cost: { cny: 0.1, usd: 0.015 },
    });
    expect(t.mock.requests).toHaveLength(0);
  });

  it("is for batch only: generate --dry-run is a usage error", async () => {
    const result = await run(["-p", "a cat", "--dry-run"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--dry-run plans a batch");
    expect(t.mock.requests).toHaveLength(0);
  });
});
