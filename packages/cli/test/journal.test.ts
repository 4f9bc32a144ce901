// Issue 18: the CLI's journal of paid work. A command killed mid-generation (kill -9), then run
// again, pays once per distinct image: the mock's paid counter is the witness.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { journalEntries, partFiles } from "@glm-image/testkit";
import { describe, expect, it } from "vitest";
import { type CliRun, mockAndFolder, paidCalls, runCli, startCli } from "./run-cli.ts";

const t = mockAndFolder("glm-image-journal-");

/** A state folder of the test's own, outside every working folder. */
const stateHome = () => mkdtemp(join(tmpdir(), "glm-image-journal-state-"));
const envOf = (state: string) => ({
  ZHIPU_API_KEY: t.mock.apiKey,
  ZHIPU_BASE_URL: t.mock.baseUrl,
  XDG_STATE_HOME: state,
});
const errorOf = (result: CliRun) => (result.json?.error ?? {}) as Record<string, unknown>;
const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The journal's entries in a state folder. */
const entries = (state: string) => journalEntries(join(state, "glm-image", "journal"));

/**
 * Waits until the upstream has received `calls` paid calls and no journal entry is `pending`
 * (each accepted call has its task id written down): the moment a kill costs the most.
 */
async function paidCallsReach(calls: number, state: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (paidCalls(t.mock).length >= calls) {
      const pending = (await entries(state)).filter((entry) => entry.state === "pending");
      if (pending.length === 0) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not ${calls} paid calls in time (${paidCalls(t.mock).length})`);
}

const slowManifest = [1, 2, 3, 4, 5, 6]
  .map((n) => `- path: img/${n}.png\n  prompt: "[mock:slow-task=2500] image ${n}"\n`)
  .join("");

describe("kill -9, then the same command: paid once per distinct image", () => {
  it("glm-image batch with 6 slow images", { timeout: 60_000 }, async () => {
    const state = await stateHome();
    await writeFile(join(t.work, "images.yml"), slowManifest);
    const killed = startCli(["batch", "images.yml"], { env: envOf(state), cwd: t.work });
    // Two images done, two accepted by the async API and waiting: kill.
    await paidCallsReach(4, state);
    killed.child.kill("SIGKILL");
    await killed.result;

    const rerun = await runCli(["batch", "images.yml"], { env: envOf(state), cwd: t.work });
    expect(rerun.stderr).not.toContain("error");
    expect(rerun.status).toBe(0);
    expect(lines(rerun.stdout).at(-1)).toMatchObject({ ok: true, summary: { failed: 0 } });
    expect(t.mock.generations).toBe(6);
    expect(paidCalls(t.mock)).toHaveLength(6);
    expect(await partFiles(t.work)).toEqual([]);
    const lock = JSON.parse(await readFile(join(t.work, ".glm-image.lock.json"), "utf8"));
    expect(Object.keys(lock.images)).toHaveLength(6);
    expect(await entries(state)).toEqual([]);
  });

  it("glm-image --save, run again from another folder", { timeout: 60_000 }, async () => {
    const state = await stateHome();
    const args = ["-p", "[mock:slow-task=3000] a lighthouse", "--save", "out/lighthouse.png"];
    const killed = startCli(args, { env: envOf(state), cwd: t.work });
    await paidCallsReach(1, state);
    killed.child.kill("SIGKILL");
    await killed.result;

    const elsewhere = await mkdtemp(join(tmpdir(), "glm-image-journal-elsewhere-"));
    const rerun = await runCli(args, { env: envOf(state), cwd: elsewhere });
    expect(rerun.status).toBe(0);
    expect(rerun.json?.saved_file).toBe(join(elsewhere, "out/lighthouse.png"));
    const bytes = await readFile(join(elsewhere, "out/lighthouse.png"));
    expect(bytes.length).toBe(rerun.json?.bytes);
    expect(t.mock.generations).toBe(1);
    expect(paidCalls(t.mock)).toHaveLength(1);
    expect(await partFiles(t.work)).toEqual([]);
    expect(await partFiles(elsewhere)).toEqual([]);
    expect(await entries(state)).toEqual([]);
  });
});

describe("a call that may have been charged is never paid for again blindly", () => {
  it("cogview killed during its (sync) call: the rerun names the entry and sends nothing; journal clear lets it pay", async () => {
    const state = await stateHome();
    const args = ["-p", "[mock:slow-task=3000] a cat", "-m", "cogview-4", "--save", "cat.png"];
    const killed = startCli(args, { env: envOf(state), cwd: t.work });
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (paidCalls(t.mock).length >= 1) {
          clearInterval(check);
          resolve();
        }
      }, 20);
      killed.result.then(() => reject(new Error("ended before its call")), reject);
    });
    killed.child.kill("SIGKILL");
    await killed.result;
    const [pending] = await entries(state);
    expect(pending).toMatchObject({ state: "pending", request: { model: "cogview-4" } });

    const refused = await runCli(args, { env: envOf(state), cwd: t.work });
    expect(refused.status).toBe(1);
    const key = String(pending?.key);
    expect(errorOf(refused)).toMatchObject({
      code: "upstream_error",
      reason: "PENDING_IN_JOURNAL",
      journal_entry: join(state, "glm-image", "journal", `${key}.json`),
    });
    expect(errorOf(refused).message).toContain(`glm-image journal clear ${key}`);
    expect(paidCalls(t.mock)).toHaveLength(1);
    expect(await readdir(t.work)).toEqual([]);

    const listed = await runCli(["journal"], { env: envOf(state), cwd: t.work });
    expect(listed.status).toBe(0);
    expect(lines(listed.stdout)).toEqual([
      expect.objectContaining({
        key,
        state: "pending",
        model: "cogview-4",
        target: join(t.work, "cat.png"),
      }),
    ]);
    const cleared = await runCli(["journal", "clear", key.slice(0, 12)], {
      env: envOf(state),
      cwd: t.work,
    });
    expect(cleared.json).toMatchObject({ ok: true, cleared: [key] });
    expect(await entries(state)).toEqual([]);

    const paid = await runCli(args, { env: envOf(state), cwd: t.work });
    expect(paid.status).toBe(0);
    expect(paidCalls(t.mock)).toHaveLength(2);
  });

  it("a time-out during the submit keeps it pending: the next run refuses, nothing is sent", async () => {
    const state = await stateHome();
    const args = ["-p", "[mock:hang] x", "--timeout", "1", "--retries", "0"];
    const first = await runCli(args, { env: envOf(state), cwd: t.work });
    expect(errorOf(first).code).toBe("TIMEOUT");
    expect(errorOf(first).message).toMatch(/journal keeps a call that may have been charged/);
    const second = await runCli(args, { env: envOf(state), cwd: t.work });
    expect(errorOf(second)).toMatchObject({ reason: "PENDING_IN_JOURNAL" });
    expect(paidCalls(t.mock)).toHaveLength(1);
  });

  it("a refusal proves no charge: nothing is kept, the next run asks again", async () => {
    const state = await stateHome();
    const first = await runCli(["-p", "[mock:quota-once] x"], { env: envOf(state), cwd: t.work });
    expect(errorOf(first).code).toBe("quota_exceeded");
    expect(await entries(state)).toEqual([]);
    const second = await runCli(["-p", "[mock:quota-once] x"], { env: envOf(state), cwd: t.work });
    expect(second.status).toBe(0);
  });

  it("the same image asked for by a second process meanwhile: in progress, not paid twice", async () => {
    const state = await stateHome();
    const args = ["-p", "[mock:hang] the same", "--timeout", "30"];
    const first = startCli(args, { env: envOf(state), cwd: t.work });
    await new Promise<void>((resolve) => {
      const check = setInterval(async () => {
        if ((await entries(state)).length > 0) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    const second = await runCli(args, { env: envOf(state), cwd: t.work });
    first.child.kill("SIGKILL");
    await first.result;
    expect(errorOf(second)).toMatchObject({ code: "upstream_error", reason: "IN_PROGRESS" });
    expect(errorOf(second).message).toContain(`pid ${first.child.pid}`);
    expect(paidCalls(t.mock)).toHaveLength(1);
  });
});

describe("a paid image whose download failed", () => {
  it("is downloaded again by the next run, not paid again", async () => {
    const state = await stateHome();
    t.mock.setDownloads("broken-url");
    const first = await runCli(["-p", "a fox", "--save", "fox.png"], {
      env: envOf(state),
      cwd: t.work,
    });
    expect(errorOf(first).code).toBe("DOWNLOAD_FAILED");
    expect(errorOf(first).message).toMatch(/journal keeps the paid image's URL/);
    expect(await entries(state)).toEqual([expect.objectContaining({ state: "paid" })]);
    t.mock.setDownloads("working");
    const second = await runCli(["-p", "a fox", "--save", "fox.png"], {
      env: envOf(state),
      cwd: t.work,
    });
    expect(second.status).toBe(0);
    expect(second.json?.image_url).toBe(first.json?.image_url);
    expect(t.mock.generations).toBe(1);
    expect(await entries(state)).toEqual([]);
  });
});

describe("the journal lives in the state folder", () => {
  it("XDG_STATE_HOME, else ~/.local/state", async () => {
    const home = await mkdtemp(join(tmpdir(), "glm-image-home-"));
    await mkdir(join(home, ".local"));
    t.mock.setDownloads("broken-url");
    await runCli(["-p", "x", "--save", "x.png"], {
      env: {
        ZHIPU_API_KEY: t.mock.apiKey,
        ZHIPU_BASE_URL: t.mock.baseUrl,
        HOME: home,
        XDG_STATE_HOME: "",
      },
      cwd: t.work,
    });
    expect(await entries(join(home, ".local", "state"))).toHaveLength(1);
    t.mock.setDownloads("working");
  });
});
