// The bin (bin/glm-image.js) as the shell runs it, through its shebang: what it answers before
// the bundle loads, and what it sets up for the bundle. A stand-in bundle in a copy of the package
// reports what it saw, so these tests say nothing about the CLI itself (cli.test.ts does).
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runProcess } from "@glm-image/testkit";
import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };

const bin = new URL("../bin/glm-image.js", import.meta.url).pathname;

/** A copy of the package (its bin and package.json) with `bundle` as its dist/glm-image.js. */
async function packageWithBundle(bundle: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "glm-image-bin-"));
  await mkdir(join(folder, "bin"));
  await mkdir(join(folder, "dist"));
  await copyFile(bin, join(folder, "bin/glm-image.js"));
  await copyFile(new URL("../package.json", import.meta.url), join(folder, "package.json"));
  await writeFile(join(folder, "dist/glm-image.js"), bundle);
  return folder;
}

const runBin = (folder: string, args: string[], env: Record<string, string> = {}) =>
  runProcess(join(folder, "bin/glm-image.js"), args, {
    // The shebang finds `node` on PATH: this Node.
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, ...env },
  });

describe("bin/glm-image.js", () => {
  it("answers --version and -v alone without loading the bundle", async () => {
    const folder = await packageWithBundle('throw new Error("the bundle was loaded");\n');
    for (const flag of ["--version", "-v"]) {
      const run = await runBin(folder, [flag]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${packageJson.version}\n`);
    }
    // Anything else is the bundle's: --version among other arguments too.
    for (const args of [["--help"], ["--version", "--quiet"]]) {
      const run = await runBin(folder, args);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("the bundle was loaded");
    }
  });

  it("gives the bundle gc (for saveImage) and Node's compile cache", async () => {
    const folder = await packageWithBundle(
      'process.stdout.write("gc:" + typeof globalThis.gc + " args:" + process.argv.slice(2).join(" ") + "\\n");\n',
    );
    // os.tmpdir() follows TMPDIR: the compile cache goes to TMPDIR/node-compile-cache.
    const temporary = await mkdtemp(join(tmpdir(), "glm-image-bin-tmp-"));
    const run = await runBin(folder, ["-p", "a cat"], { TMPDIR: temporary });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("gc:function args:-p a cat\n");
    // The repository runs on Node 24, which has the compile cache (Node >= 22.1).
    expect(await readdir(join(temporary, "node-compile-cache"))).not.toHaveLength(0);
  });
});
