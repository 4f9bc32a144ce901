// Issue 17's CLI messages: a setting or a flag that cannot work is a usage error (exit 2) in
// plain words, naming what to fix, before anything is sent.
import { describe, expect, it } from "vitest";
import { mockAndFolder, runCli } from "./run-cli.ts";

const t = mockAndFolder("glm-image-usage-");
const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    env: { ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl, ...env },
    cwd: t.work,
  });

describe("usage errors in plain words, exit 2, nothing sent", () => {
  it("ZHIPU_BASE_URL without a scheme names the setting", async () => {
    const result = await run(["-p", "x"], { ZHIPU_BASE_URL: "127.0.0.1:4011/api/paas/v4" });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      "glm-image: error: ZHIPU_BASE_URL must be an http(s) URL with its scheme, such as https://open.bigmodel.cn/api/paas/v4",
    );
    expect(result.stderr).toContain('it is "127.0.0.1:4011/api/paas/v4"');
    expect(result.stderr).not.toContain("NETWORK_ERROR");
    expect(t.mock.requests).toHaveLength(0);
  });

  it.each([
    [["-p", "x", "--retries", "-1"], "glm-image: error: --retries must be at least 0\n"],
    [["-p", "x", "--bogus"], "glm-image: error: unknown option --bogus\n"],
    [
      ["-p", "x", "--promt", "y"],
      "glm-image: error: unknown option --promt (did you mean --prompt?)\n",
    ],
    [["-p", "x", "--quiet=yes"], "glm-image: error: --quiet takes no value\n"],
    [["-p"], "glm-image: error: --prompt needs a value\n"],
    [
      ["-p", "x", "--save", "--quiet"],
      "glm-image: error: --save needs a value, and --quiet is an option",
    ],
  ])("%j", async (args, message) => {
    const result = await run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|ambiguous|positional argument/);
    expect(t.mock.requests).toHaveLength(0);
  });
});
