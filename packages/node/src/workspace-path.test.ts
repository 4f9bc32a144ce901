import assert from "node:assert/strict";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { confine, confineReal, fileIdentity } from "./workspace-path.ts";

async function folders() {
  const root = await mkdtemp(join(tmpdir(), "glm-image-paths-"));
  const workspace = join(root, "ws");
  const outside = join(root, "outside");
  await mkdir(workspace);
  await mkdir(outside);
  return { workspace, outside };
}

describe("confine", () => {
  it("answers the absolute and the relative path of a path inside", () => {
    assert.deepEqual(confine("/ws", "docs/./a.png", "path"), {
      absolute: "/ws/docs/a.png",
      relative: "docs/a.png",
    });
  });

  it("refuses paths outside, in .git anywhere, and with control characters", () => {
    for (const [path, message] of [
      ["../x.png", /outside the workspace/],
      ["/etc/passwd", /outside the workspace/],
      [".git/hooks/pre-commit", /inside a \.git folder/],
      ["sub/.git/config", /inside a \.git folder/],
      ["sub/.GIT/x.png", /inside a \.git folder/],
      ["a.png\n::warning::injected", /control character/],
      ["a\u0007.png", /control character/],
    ] as const) {
      assert.throws(() => confine("/ws", path, "path"), message, path);
    }
    assert.equal(confine("/ws", ".github/x.png", "path").relative, ".github/x.png");
  });
});

describe("confineReal", () => {
  it("refuses a folder that is a symbolic link out of the workspace", async () => {
    const { workspace, outside } = await folders();
    await symlink(outside, join(workspace, "link"));
    await assert.rejects(
      confineReal(workspace, "link/x.png", "path"),
      /leads outside the workspace through a symbolic link/,
    );
  });

  it("refuses a file that is a symbolic link out, and a dangling link", async () => {
    const { workspace, outside } = await folders();
    await writeFile(join(outside, "secret.yml"), "token: hunter2");
    await symlink(join(outside, "secret.yml"), join(workspace, "manifest.yml"));
    await symlink(join(outside, "nothing"), join(workspace, "dangling.png"));
    await assert.rejects(confineReal(workspace, "manifest.yml", "manifest"), /symbolic link/);
    await assert.rejects(confineReal(workspace, "dangling.png", "path"), /symbolic link/);
  });

  it("accepts links that stay inside, and paths that do not exist yet", async () => {
    const { workspace } = await folders();
    await mkdir(join(workspace, "real"));
    await symlink(join(workspace, "real"), join(workspace, "alias"));
    assert.equal((await confineReal(workspace, "alias/x.png", "path")).relative, "alias/x.png");
    assert.equal(
      (await confineReal(workspace, "new/deep/x.png", "path")).relative,
      "new/deep/x.png",
    );
  });
});

describe("fileIdentity", () => {
  it("is one for two spellings of one file through a folder link, another for another file", async () => {
    const { workspace } = await folders();
    await mkdir(join(workspace, "docs"));
    await symlink("docs", join(workspace, "alias"));
    const docs = await fileIdentity(join(workspace, "docs/a.png"));
    assert.equal(await fileIdentity(join(workspace, "alias/a.png")), docs);
    assert.equal(await fileIdentity(join(workspace, "alias/./a.png")), docs);
    assert.notEqual(await fileIdentity(join(workspace, "docs/b.png")), docs);
    assert.equal(
      await fileIdentity(join(workspace, "alias/new/deep/a.png")),
      await fileIdentity(join(workspace, "docs/new/deep/a.png")),
    );
  });

  it("keeps case where the file system does (as here), so A.png and a.png are two files", async () => {
    const { workspace } = await folders();
    await writeFile(join(workspace, "Image.png"), "");
    assert.notEqual(
      await fileIdentity(join(workspace, "A.png")),
      await fileIdentity(join(workspace, "a.png")),
    );
  });
});
