import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readLock } from "./lock-file.ts";

describe("readLock", () => {
  it("reads a missing lock file as empty", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-lock-"));
    assert.deepEqual(await readLock(join(folder, "none.json")), { version: 1, images: {} });
  });

  it("names a damaged lock file and says what to do, instead of a raw SyntaxError", async () => {
    const folder = await mkdtemp(join(tmpdir(), "glm-image-lock-"));
    const path = join(folder, ".glm-image.lock.json");
    await writeFile(path, '{"version": 1, "images": {');
    await assert.rejects(readLock(path), (error: Error) => {
      assert.equal(error.name, "Error");
      assert.match(
        error.message,
        /^The lock file .*\.glm-image\.lock\.json is damaged \(not valid JSON/,
      );
      assert.match(error.message, /git checkout -- .*delete it/);
      return true;
    });
    await writeFile(path, '{"version": 2, "images": {}}');
    await assert.rejects(readLock(path), /is damaged \(version: .*restore it from git/);
  });
});
