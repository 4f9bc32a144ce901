// Issue 11's breaks, each against the built CLI as a child process.
import { execFileSync, spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliRun, cliPath, mockAndFolder, paidCalls, runCli, startCli } from "./run-cli.ts";

const t = mockAndFolder("glm-image-breaks-");

const env = () => ({ ZHIPU_API_KEY: t.mock.apiKey, ZHIPU_BASE_URL: t.mock.baseUrl });
const run = (args: string[], options: { stdin?: string } = {}) =>
  runCli(args, { env: env(), cwd: t.work, ...options });
const errorOf = (result: CliRun) => (result.json?.error ?? {}) as Record<string, unknown>;

async function expectCharacterDevice(path: string) {
  expect((await stat(path)).isCharacterDevice()).toBe(true);
}

describe("the target is checked before paying", () => {
  it("--save /proc/nope/x.png fails at once with DOWNLOAD_FAILED (reason INVALID_PATH), nothing paid", async () => {
    const result = await run(["-p", "x", "--save", "/proc/nope/x.png"]);
    expect(result.status).toBe(2);
    expect(errorOf(result).code).toBe("DOWNLOAD_FAILED");
    expect(errorOf(result).reason).toBe("INVALID_PATH");
    expect(errorOf(result).message).toContain("/proc/nope");
    expect(t.mock.generations).toBe(0);
    expect(t.mock.requests).toHaveLength(0);
  });

  it("a folder as --save target is an error naming it, nothing paid", async () => {
    const result = await run(["-p", "x", "--save", t.work]);
    expect(result.status).toBe(2);
    expect(errorOf(result)).toMatchObject({ code: "DOWNLOAD_FAILED", reason: "INVALID_PATH" });
    expect(errorOf(result).message).toContain(t.work);
    expect(t.mock.generations).toBe(0);
  });
});

describe("--out-dir is checked before paying too", () => {
  it("--out-dir under a file: DOWNLOAD_FAILED (reason INVALID_PATH), exit 2, nothing paid", async () => {
    await writeFile(join(t.work, "file"), "");
    const result = await run(["-p", "x", "--out-dir", "file/images"]);
    expect(result.status).toBe(2);
    expect(errorOf(result)).toMatchObject({ code: "DOWNLOAD_FAILED", reason: "INVALID_PATH" });
    expect(t.mock.requests).toHaveLength(0);
  });
});

describe("devices and FIFOs are written in place, never replaced", () => {
  it("--save /dev/full fails to write and leaves the device a device", async () => {
    const result = await run(["-p", "x", "--save", "/dev/full"]);
    expect(result.status).toBe(1);
    expect(errorOf(result).code).toBe("DOWNLOAD_FAILED");
    expect(result.json?.image_url).toMatch(/\/files\//);
    await expectCharacterDevice("/dev/full");
    expect((await readdir("/dev")).filter((name) => name.startsWith(".full."))).toEqual([]);
  });

  it("--save /dev/null writes in place", async () => {
    const result = await run(["-p", "x", "--save", "/dev/null"]);
    expect(result.status).toBe(0);
    expect(result.json?.saved_file).toBe("/dev/null");
    expect(result.json?.bytes).toBeGreaterThan(100);
    expect(result.json?.warnings).toEqual([]);
    await expectCharacterDevice("/dev/null");
  });

  it("--save FIFO streams into the pipe", async () => {
    const fifo = join(t.work, "pipe");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => {
      createReadStream(fifo)
        .on("data", (chunk) => chunks.push(chunk as Buffer))
        .on("end", resolve)
        .on("error", reject);
    });
    const result = await run(["-p", "x", "--save", fifo]);
    await reading;
    expect(result.status).toBe(0);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(result.json?.bytes);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect((await stat(fifo)).isFIFO()).toBe(true);
  });
});

describe("interrupted during the download", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s: temporary file removed, INTERRUPTED with the paid image_url, exit 130",
    async (signal) => {
      const started = startCli(["-p", "[mock:slow-download=30000] x", "--save", "keep.png"], {
        env: env(),
        cwd: t.work,
      });
      // Wait until the download has begun writing its temporary file.
      for (;;) {
        const names = await readdir(t.work);
        const part = names.find((name) => name.endsWith(".part"));
        if (part && (await stat(join(t.work, part))).size > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      started.child.kill(signal);
      const result = await started.result;
      expect(result.status).toBe(130);
      expect(result.json?.ok).toBe(false);
      expect(errorOf(result).code).toBe("INTERRUPTED");
      expect(result.json?.image_url).toMatch(/\/files\//);
      expect(await readdir(t.work)).toEqual([]);
      expect(t.mock.generations).toBe(1);
    },
  );
});

describe("--out-dir never pays twice", () => {
  it("the second run answers the file that is there: 0 upstream calls, cached", async () => {
    const first = await run(["-p", "a lighthouse", "--out-dir", "images"]);
    expect(first.json?.cached).toBe(false);
    t.mock.reset();
    const second = await run(["-p", "a lighthouse", "--out-dir", "images"]);
    expect(second.status).toBe(0);
    expect(second.json?.ok).toBe(true);
    expect(second.json?.cached).toBe(true);
    expect(second.json?.saved_file).toBe(first.json?.saved_file);
    expect(t.mock.requests).toHaveLength(0);
  });

  it("a damaged file there is generated again", async () => {
    const first = await run(["-p", "a lighthouse", "--out-dir", "images"]);
    const saved = String(first.json?.saved_file);
    await writeFile(saved, (await readFile(saved)).subarray(0, 100));
    t.mock.reset();
    const second = await run(["-p", "a lighthouse", "--out-dir", "images"]);
    expect(second.json?.cached).toBe(false);
    expect(t.mock.generations).toBe(1);
    expect((await readFile(saved)).length).toBe(second.json?.bytes);
  });
});

describe("one deadline per command", () => {
  it("--timeout covers generation and download together", async () => {
    // Each part alone fits in the deadline; both together do not.
    t.mock.setLatency(1500);
    try {
      const result = await run([
        "-p",
        "[mock:slow-download=1500] x",
        "--save",
        "x.png",
        "--timeout",
        "2",
      ]);
      expect(result.status).toBe(1);
      expect(errorOf(result).code).toBe("TIMEOUT");
      expect(await readdir(t.work)).toEqual([]);
    } finally {
      t.mock.setLatency(0);
    }
  });
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence
const clearLine = /^\u001b\[2K/;

describe("on a terminal", () => {
  it("the spinner is cleared before the JSON line", async () => {
    const command = [process.execPath, cliPath, "-p", "'[mock:slow-download=600] x'"]
      .concat(["--save", "x.png"])
      .join(" ");
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        cwd: t.work,
        env: { ...env(), PATH: process.env.PATH ?? "", TERM: "xterm" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk;
      });
      child.on("error", reject);
      child.on("close", () => resolve(text));
    });
    expect(output).toContain("Downloading");
    const line = output.split("\n").find((text) => text.includes('{"ok"')) ?? "";
    // What the terminal shows of the line: everything after the last carriage return.
    const shown = line.split("\r").filter((part) => part.length > 0);
    const last = (shown.at(-1) ?? "").replace(clearLine, "");
    expect(last.startsWith('{"ok":true')).toBe(true);
  });
});

describe("errors keep every known field; one exit-code rule", () => {
  it("INVALID_SIZE keeps the model it was checked against", async () => {
    const result = await run(["-p", "x", "-s", "512x512"]);
    expect(result.status).toBe(2);
    expect(result.json?.model).toBe("glm-image");
    expect(result.json?.size).toBe("512x512");
    expect(result.json?.prompt).toBe("x");
  });

  it("MISSING_API_KEY is a usage error: exit 2", async () => {
    const result = await runCli(["-p", "x"], { cwd: t.work });
    expect(result.status).toBe(2);
    expect(errorOf(result).code).toBe("MISSING_API_KEY");
    expect(result.json?.model).toBe("glm-image");
  });

  it("--help states the rule", async () => {
    const result = await run(["--help"]);
    expect(result.stdout).toMatch(/0 done.*1 a generation.*2 a usage error.*130 interrupted/s);
  });
});

describe("prompts from elsewhere", () => {
  // Already normal (core keeps line breaks, and drops the spaces around them): sent as it is.
  const multiLine = "A poster, in three lines:\n'quotes' and \"double quotes\"\n$HOME `not run`";

  it("--prompt-file FILE", async () => {
    await writeFile(join(t.work, "prompt.txt"), `${multiLine}\n`);
    const result = await run(["--prompt-file", "prompt.txt"]);
    expect(result.status).toBe(0);
    expect(result.json?.prompt).toBe(multiLine);
    expect(paidCalls(t.mock).at(-1)?.body).toMatchObject({ prompt: multiLine });
  });

  it("-p - reads standard input", async () => {
    const result = await run(["-p", "-"], { stdin: multiLine });
    expect(result.status).toBe(0);
    expect(result.json?.prompt).toBe(multiLine);
  });

  it("a missing --prompt-file is a usage error", async () => {
    const result = await run(["--prompt-file", "nowhere.txt"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("nowhere.txt");
    expect(t.mock.requests).toHaveLength(0);
  });
});
