import assert from "node:assert/strict";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readManifest } from "./manifest.ts";
import { nearest } from "./nearest.ts";

const workspace = await mkdtemp(join(tmpdir(), "glm-image-manifest-"));

describe("readManifest", () => {
  it("counts items from 1", async () => {
    await assert.rejects(
      readManifest("- {path: a.png, prompt: x}\n- {path: b.png}\n", workspace),
      /item 2\.prompt: prompt is required/,
    );
  });

  it("flags an unknown key with the nearest known one", async () => {
    await assert.rejects(
      readManifest("- {path: a.png, promt: a cat}\n", workspace),
      /item 1: unknown key "promt" \(did you mean "prompt"\?\)/,
    );
    await assert.rejects(
      readManifest("- {path: a.png, prompt: x, colour: red}\n", workspace),
      /unknown key "colour"(?! \(did)/,
    );
  });

  it("never reads a manifest through a symbolic link out of the workspace", async () => {
    const root = await mkdtemp(join(tmpdir(), "glm-image-manifest-link-"));
    await mkdir(join(root, "ws"));
    await writeFile(join(root, "secret.txt"), "ghp_secret_value: [unclosed");
    await symlink(join(root, "secret.txt"), join(root, "ws", "images.yml"));
    await assert.rejects(readManifest("images.yml", join(root, "ws")), (error: Error) => {
      assert.match(error.message, /symbolic link/);
      assert.doesNotMatch(error.message, /ghp_secret_value/);
      return true;
    });
  });
});

describe("nearest", () => {
  it("finds close spellings only", () => {
    assert.equal(nearest("promt", ["path", "prompt", "model"]), "prompt");
    assert.equal(nearest("szie", ["size", "quality"]), "size");
    assert.equal(nearest("Model", ["model"]), "model");
    assert.equal(nearest("background", ["path", "prompt", "size"]), undefined);
  });
});
