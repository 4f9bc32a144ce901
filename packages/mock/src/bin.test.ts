// `glm-image-mock` as a child process: its help, its usage errors, and a server that stops on
// SIGTERM.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { describe, it } from "node:test";

const bin = new URL("./bin.ts", import.meta.url).pathname;

function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe("glm-image-mock", () => {
  for (const flag of ["--help", "-h"]) {
    it(`prints its usage for ${flag}, exit 0`, async () => {
      const result = await run([flag]);
      assert.equal(result.status, 0);
      assert.equal(result.stderr, "");
      assert.match(
        result.stdout,
        /^usage: glm-image-mock \[--port 4010\] \[--host 127\.0\.0\.1\] \[--api-key test-key\] \[--latency 0\]\n/,
      );
      assert.match(
        result.stdout,
        /--api-key KEY {2}the only bearer key it accepts; default test-key/,
      );
    });
  }

  for (const [args, message] of [
    [["--bogus"], "unknown option --bogus"],
    [["--port"], "--port needs a value"],
    [["--port", "http"], '--port must be a whole number from 0 to 65535, not "http"'],
    [
      ["--latency", "-5"],
      "--latency needs a value; a value that starts with - goes after =, as in --latency=-1",
    ],
    [["--latency=-5"], '--latency must be a whole number from 0 to 600000, not "-5"'],
    [["serve"], "unexpected argument serve"],
  ] as const) {
    it(`refuses ${args.join(" ")}: a usage error, exit 2`, async () => {
      const result = await run([...args]);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        `glm-image-mock: ${message}\nusage: glm-image-mock [--port 4010] [--host 127.0.0.1] [--api-key test-key] [--latency 0]\n`,
      );
    });
  }

  it("serves on the port given and stops on SIGTERM, exit 0", async () => {
    const child = spawn(process.execPath, [bin, "--port", "0", "--api-key", "k-123"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk;
        if (text.includes("\n")) resolve(text);
      });
    });
    const baseUrl = /base URL (\S+),/.exec(line)?.[1] ?? "";
    assert.match(
      line,
      /^glm-image mock listening on http:\/\/127\.0\.0\.1:\d+ \(base URL http:\/\/127\.0\.0\.1:\d+\/api\/paas\/v4, key k-123\)\n$/,
    );
    const answer = await fetch(`${baseUrl}/images/generations`, {
      method: "POST",
      headers: { authorization: "Bearer k-123", "content-type": "application/json" },
      body: JSON.stringify({ model: "cogview-4", prompt: "a lighthouse" }),
    });
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
