import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { type JournalEntry, newAttempt, openJournal } from "./journal.ts";

const exec = promisify(execFile);
const key = "a".repeat(64);
const entry = (extra: Partial<JournalEntry> = {}): JournalEntry =>
  ({
    state: "pending",
    key,
    attempt: newAttempt(),
    since: 1,
    updated: 1,
    pid: process.pid,
    host: "here",
    request: {
      prompt: "p",
      model: "glm-image",
      size: "1280x1280",
      quality: "hd",
      watermark_enabled: true,
    },
    ...extra,
  }) as JournalEntry;
const folder = () => mkdtemp(join(tmpdir(), "glm-image-journal-"));

describe("openJournal", () => {
  it("claims a key once, replaces an entry whole, lists and removes it", async () => {
    const journal = openJournal(join(await folder(), "deep", "journal"));
    assert.equal(await journal.read(key), undefined);
    const first = entry();
    assert.equal(await journal.claim(first), true);
    assert.equal(await journal.claim(entry()), false);
    const submitted = { ...first, state: "submitted", task_id: "task-1" } as JournalEntry;
    await journal.update(submitted);
    assert.deepEqual(await journal.read(key), submitted);
    assert.deepEqual(
      (await journal.list()).map((listed) => listed.key),
      [key],
    );
    assert.deepEqual(await readdir(journal.folder), [`${key}.json`]);
    await journal.remove(key, "another attempt");
    assert.ok(await journal.read(key), "an entry of another attempt stays");
    await journal.remove(key, first.attempt);
    assert.equal(await journal.read(key), undefined);
  });

  it("one claim wins among many at once in a process", async () => {
    const journal = openJournal(await folder());
    const claims = await Promise.all(Array.from({ length: 20 }, () => journal.claim(entry())));
    assert.equal(claims.filter(Boolean).length, 1);
  });

  it("one claim wins among processes", async () => {
    const dir = await folder();
    const module = new URL("./journal.ts", import.meta.url).href;
    const script = `
      const { openJournal, newAttempt } = await import(${JSON.stringify(module)});
      const won = await openJournal(${JSON.stringify(dir)}).claim({
        state: "pending", key: ${JSON.stringify(key)}, attempt: newAttempt(), since: 1, updated: 1,
        pid: process.pid, host: "here",
        request: { prompt: "p", model: "glm-image", size: "1280x1280", quality: "hd", watermark_enabled: true },
      });
      process.stdout.write(won ? "won" : "lost");`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        exec(process.execPath, ["--conditions=source", "--input-type=module", "-e", script]),
      ),
    );
    assert.deepEqual(runs.map((run) => run.stdout).sort(), [
      "lost",
      "lost",
      "lost",
      "lost",
      "lost",
      "won",
    ]);
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith(".tmp")),
      [],
    );
  });

  it("names a damaged entry and says what it means, in reads and in the list", async () => {
    const dir = await folder();
    const journal = openJournal(dir);
    await writeFile(join(dir, `${key}.json`), '{"state": "paid"');
    await assert.rejects(
      journal.read(key),
      /The journal entry .*\.json is damaged \(not valid JSON/,
    );
    const [listed] = await journal.list();
    assert.ok(listed && "damaged" in listed);
  });

  it("refuses what is not a content key", async () => {
    const journal = openJournal(await folder());
    await assert.rejects(journal.read("../../etc/passwd"), /64 hex characters/);
  });
});
