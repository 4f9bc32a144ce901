// What the bundle (dist/glm-image.js, built by the global setup) loads at start-up: only what the
// command needs (scripts/bundle-node.ts: builtinsThroughRequire, lazyCommonJs). A probe loaded
// with --import reports at exit whether undici (Node's fetch) was loaded and whether yaml ran.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mockAndFolder, runCli } from "./run-cli.ts";

const t = mockAndFolder("glm-image-startup-save-");

/** yaml asks for Symbol.for("yaml.alias") as it is evaluated. */
const probeSource = `
const asked = new Set();
const symbolFor = Symbol.for;
Symbol.for = (key) => (asked.add(key), symbolFor(key));
process.on("exit", () => {
  const undici = process.moduleLoadList.some((name) => name.includes("undici"));
  process.stderr.write(\`@probe undici=\${undici} yaml=\${asked.has("yaml.alias")}\\n\`);
});
`;

async function loaded(args: string[], cwd: string, env: Record<string, string> = {}) {
  const probe = join(cwd, "probe.mjs");
  await writeFile(probe, probeSource);
  const run = await runCli(args, { cwd, env: { NODE_OPTIONS: `--import ${probe}`, ...env } });
  const match = /@probe undici=(true|false) yaml=(true|false)/.exec(run.stderr);
  if (!match) throw new Error(`no probe line: ${run.stderr}`);
  return { status: run.status, undici: match[1] === "true", yaml: match[2] === "true" };
}

describe("start-up", () => {
  it("--help loads neither fetch (undici) nor yaml", async () => {
    const work = await mkdtemp(join(tmpdir(), "glm-image-startup-"));
    expect(await loaded(["--help"], work)).toEqual({ status: 0, undici: false, yaml: false });
  });

  it("batch reads its manifest with yaml, loaded when it is needed", async () => {
    const work = await mkdtemp(join(tmpdir(), "glm-image-startup-"));
    await writeFile(join(work, "images.yml"), "- 1\n");
    const run = await loaded(["batch", "images.yml"], work, { ZHIPU_API_KEY: "test-key" });
    expect(run).toEqual({ status: 2, undici: false, yaml: true });
  });

  it("--save through ZhiPu loads no fetch (undici): the API calls and the download go over node:http", async () => {
    const api = { ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl };
    const run = await loaded(["-p", "a cat", "--save", "cat.png"], t.work, api);
    expect(run).toEqual({ status: 0, undici: false, yaml: false });
    expect(t.mock.generations).toBe(1);
  });
});
