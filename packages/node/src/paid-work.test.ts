import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { contentKey, GlmImageError, parseGenerationRequest } from "@glm-image/core";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { directSource } from "./image-source.ts";
import { type JournalEntry, openJournal } from "./journal.ts";
import { paidWork } from "./paid-work.ts";
import { prepareTarget } from "./save-image.ts";

let mock: MockServer;
before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());
beforeEach(() => mock.reset());

const paidCalls = () => mock.requests.filter((request) => request.method === "POST").length;

async function setup(options: { taskWaitMs?: number } = {}) {
  const root = await mkdtemp(join(tmpdir(), "glm-image-paid-work-"));
  const journal = openJournal(join(root, "journal"));
  const make = () =>
    paidWork({
      source: directSource({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, maxRetries: 0 }),
      journal,
      clearHint: (key) => `run glm-image journal clear ${key}`,
      ...options,
    });
  const job = async (prompt: string, model?: string) => {
    const request = parseGenerationRequest({ prompt, ...(model ? { model } : {}) });
    return { key: await contentKey(request), request };
  };
  return { root, journal, make, job };
}

describe("paidWork", () => {
  it("journals pending, then the task id, then the URL, and removes the entry once the file is whole", async () => {
    const { root, journal, make, job } = await setup();
    const one = await job("a lighthouse");
    const seen: string[] = [];
    // Read at once, as each stage is reached.
    const state = () => JSON.parse(readFileSync(journal.fileOf(one.key), "utf8")).state;
    const produced = await make().produce(
      { ...one, target: await prepareTarget(join(root, "a.png")) },
      {
        onStage: (stage) => {
          if (stage === "generating" || stage === "submitted") seen.push(`${stage}:${state()}`);
        },
        record: async () => {
          seen.push(`record:${state()}`);
        },
      },
    );
    assert.deepEqual(seen, ["generating:pending", "submitted:submitted", "record:paid"]);
    assert.equal(await journal.read(one.key), undefined);
    assert.equal(produced.saved?.bytes, (await readFile(join(root, "a.png"))).length);
    assert.equal(produced.resumed, undefined);
    assert.equal(mock.generations, 1);
  });

  it("a cogview model is one sync call, journaled the same way", async () => {
    const { journal, make, job } = await setup();
    const one = await job("a cat", "cogview-4");
    const produced = await make().produce(one);
    assert.match(produced.result.url, /\/files\//);
    assert.deepEqual(
      mock.requests.map((request) => request.path),
      ["/api/paas/v4/images/generations"],
    );
    assert.equal(await journal.read(one.key), undefined);
  });

  it("a task still running when the wait ends stays journaled, and the next run resumes it without paying", async () => {
    const { journal, make, job } = await setup({ taskWaitMs: 300 });
    const one = await job("[mock:slow-task=1200] slow");
    await assert.rejects(make().produce(one), { code: "TIMEOUT" });
    assert.equal((await journal.read(one.key))?.state, "submitted");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const resumed = await make().produce(one);
    assert.equal(resumed.resumed, "task");
    assert.equal(paidCalls(), 1);
  });

  it("a call that may have been charged stays pending; the next run refuses it and sends nothing", async () => {
    const { journal, make, job } = await setup();
    const one = await job("[mock:bad-json] x");
    await assert.rejects(make().produce(one), { code: "upstream_error", retryable: false });
    const kept = (await journal.read(one.key)) as JournalEntry;
    assert.equal(kept.state, "pending");
    assert.match(kept.last_error ?? "", /could not be read/);
    const work = make();
    const refusal = await make()
      .produce(one)
      .catch((error: unknown) => error);
    assert.ok(refusal instanceof GlmImageError);
    assert.deepEqual(
      { ...refusal.toJSON(), message: undefined },
      {
        code: "upstream_error",
        message: undefined,
        reason: "PENDING_IN_JOURNAL",
        journal_entry: journal.fileOf(one.key),
      },
    );
    assert.match(refusal.message, new RegExp(`glm-image journal clear ${one.key}`));
    assert.equal(await work.keptNote(one.key, refusal), undefined);
    assert.equal(paidCalls(), 1);
  });

  it("a refusal proves no charge: nothing is kept", async () => {
    const { journal, make, job } = await setup();
    const one = await job("[mock:content-filter] x");
    await assert.rejects(make().produce(one), { code: "content_filter_violation" });
    assert.equal(await journal.read(one.key), undefined);
  });

  it("a failed task is owed nothing: its entry goes", async () => {
    const { journal, make, job } = await setup();
    const one = await job("[mock:fail] x");
    await assert.rejects(make().produce(one), /task failed/);
    assert.equal(await journal.read(one.key), undefined);
  });

  it("jobs of one key in one process share one payment, each file written", async () => {
    const { root, journal, make, job } = await setup();
    const one = await job("the same picture");
    const work = make();
    const results = await Promise.all(
      ["x.png", "y.png", "z.png"].map(async (name) =>
        work.produce({ ...one, target: () => prepareTarget(join(root, name)) }),
      ),
    );
    const later = await work.produce({ ...one, target: () => prepareTarget(join(root, "w.png")) });
    assert.equal(mock.generations, 1);
    assert.equal(new Set([...results, later].map((result) => result.result.url)).size, 1);
    assert.deepEqual((await readdir(root)).sort(), ["journal", "w.png", "x.png", "y.png", "z.png"]);
    assert.equal(await journal.read(one.key), undefined);
  });

  it("a download that fails keeps the paid URL, and the target's temporary file goes", async () => {
    const { root, journal, make, job } = await setup();
    const one = await job("a fox");
    mock.setDownloads("broken-url");
    const work = make();
    const failure = await work
      .produce({ ...one, target: () => prepareTarget(join(root, "fox.png")) })
      .catch((error: unknown) => error);
    assert.equal((failure as GlmImageError).code, "DOWNLOAD_FAILED");
    assert.deepEqual(await readdir(root), ["journal"]);
    assert.equal((await journal.read(one.key))?.state, "paid");
    assert.match(
      (await work.keptNote(one.key, failure)) ?? "",
      /The journal keeps the paid image's URL in .*: run the same command again to resume it \(nothing more is paid\); to give it up, run glm-image journal clear/,
    );
    mock.setDownloads("working");
    const resumed = await make().produce({
      ...one,
      target: () => prepareTarget(join(root, "fox.png")),
    });
    assert.equal(resumed.resumed, "image");
    assert.equal(mock.generations, 1);
  });
});
