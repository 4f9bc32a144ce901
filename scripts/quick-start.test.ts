// The quick start as a newcomer meets it (README, "Quick start"), in a fresh clone of this
// repository at HEAD (commit first: uncommitted changes are not in the clone; GLM_IMAGE_QUICK_START_REF
// names another commit), from a shell whose `node` is the machine's (Node 20 here:
// GLM_IMAGE_MACHINE_NODE, default /usr/bin/node, else the first node on PATH that is not the Node
// 24 running this test) and which has no setting of ours:
// - `npm start`, as written: it brings Node 24 and the dependencies itself, comes up with the mock,
//   generates through the API, mints and serves a signed render URL, and its printed home page URL
//   generates in Chromium on the first click; stopped, nothing of it is left running or listening;
// - `npm start` again with a .dev.vars: every setting in it reaches the Worker, the start-up lines
//   say which are in force (secrets hidden) and name a line that is not a setting;
// - `npx glm-image-mock` right after: the clone's own bin, never the registry's;
// - the README's root scripts from that Node 20 shell, and none left behind in `git status`.
//   npm run test:root    (part of npm test)
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort, launchChromium, listeningAddresses, runProcess } from "@glm-image/testkit";

const repository = new URL("../", import.meta.url).pathname;
/** The machine's own node (Node 20 here), not the Node 24 that runs this test. */
const machineNode =
  process.env.GLM_IMAGE_MACHINE_NODE ?? (existsSync("/usr/bin/node") ? "/usr/bin/node" : undefined);
const ref = process.env.GLM_IMAGE_QUICK_START_REF ?? "HEAD";
const commit = execFileSync("git", ["rev-parse", ref], {
  cwd: repository,
  encoding: "utf8",
}).trim();

let clone: string;
let shell: NodeJS.ProcessEnv;

/** A newcomer's shell: the machine's node first on PATH, none of our settings, no npm_* of ours. */
function newcomerShell(): NodeJS.ProcessEnv {
  const keep = /^(HOME|USER|LOGNAME|SHELL|LANG|LC_\w+|TERM|TMPDIR|XDG_\w+|CI|NO_COLOR)$/;
  const proxies = /^(https?_proxy|no_proxy|HTTPS?_PROXY|NO_PROXY)$/;
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (keep.test(name) || proxies.test(name) || /^npm_config_(cache|registry)$/.test(name)) {
      environment[name] = value;
    }
  }
  const path = (process.env.PATH ?? "")
    .split(":")
    .filter((entry) => entry && !entry.includes("node_modules") && !entry.includes(".tools"))
    .filter((entry) => entry !== dirname(process.execPath));
  environment.PATH = [...(machineNode ? [dirname(machineNode)] : []), ...path].join(":");
  return environment;
}

interface Started {
  child: ChildProcess;
  output(): string;
  homePage: string;
  origin: string;
  stop(): Promise<void>;
}

/** `npm start` in the clone, in its own process group, until it prints the home page's URL. */
async function npmStart(port: number, mockPort: number): Promise<Started> {
  const started = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: clone,
    env: { ...shell, PORT: String(port), MOCK_PORT: String(mockPort) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const homePage = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Home page: +(\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        console.log(
          `npm start printed its home page after ${Math.round((performance.now() - started) / 1000)} s`,
        );
        resolve(match[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited with ${child.exitCode}:\n${output}`));
      }
    }, 200);
  });
  const stop = async () => {
    if (child.pid === undefined) return;
    const group = child.pid;
    const exited =
      child.exitCode === null && child.signalCode === null
        ? new Promise((resolve) => child.once("exit", resolve))
        : Promise.resolve();
    // Ctrl-C in the terminal: SIGINT to the whole process group.
    process.kill(-group, "SIGINT");
    await exited;
    for (let attempt = 0; attempt < 100 && groupAlive(group); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (groupAlive(group)) {
      process.kill(-group, "SIGKILL");
      assert.fail(`processes of npm start outlived it (group ${group}):\n${output}`);
    }
  };
  return { child, output: () => output, homePage, origin: new URL(homePage).origin, stop };
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

async function post(origin: string, path: string, body: object, token = "dev-token") {
  return fetch(`${origin}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** GET of an image URL: 200, a PNG. */
async function assertPng(url: string): Promise<void> {
  const response = await fetch(url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.equal(response.status, 200, `${url}: ${new TextDecoder().decode(bytes.slice(0, 300))}`);
  assert.equal(response.headers.get("content-type"), "image/png");
  assert.deepEqual([...bytes.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
}

before(async () => {
  const folder = await mkdtemp(join(tmpdir(), "glm-image-quick-start-"));
  clone = join(folder, "glm-image");
  execFileSync("git", ["clone", "--quiet", "--no-checkout", repository, clone]);
  execFileSync("git", ["checkout", "--quiet", commit], { cwd: clone });
  shell = newcomerShell();
  const version = execFileSync("node", ["--version"], { env: shell, encoding: "utf8" }).trim();
  console.log(`quick start of ${commit.slice(0, 12)} in ${clone}, node ${version} on PATH`);
});

after(async () => {
  if (clone && !process.env.GLM_IMAGE_KEEP_CLONE) {
    await rm(dirname(clone), { recursive: true, force: true });
  }
});

describe("the quick start in a fresh clone, from a Node 20 shell", () => {
  it("npm start: the API, a signed render URL and the home page's first Generate work; stopped, nothing is left", async () => {
    const port = await freePort();
    const mockPort = await freePort();
    const started = await npmStart(port, mockPort);
    try {
      const generated = await post(started.origin, "/v1/images/generations", {
        prompt: "a lighthouse at dusk",
        size: "1568x1056",
      });
      const answer = (await generated.json()) as { data: Array<{ url: string }> };
      assert.equal(generated.status, 200, JSON.stringify(answer));
      const imageUrl = answer.data[0]?.url ?? "";
      assert.match(
        imageUrl,
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/images/[0-9a-f]{64}\\.png$`),
      );
      await assertPng(imageUrl);

      const minted = await post(started.origin, "/v1/render-urls", {
        prompt: "a red fox in the snow",
      });
      const { url: renderUrl } = (await minted.json()) as { url: string };
      assert.equal(minted.status, 200, renderUrl);
      assert.match(renderUrl, /\/render\?.*&sig=[0-9a-f]{64}$/);
      await assertPng(renderUrl);

      const output = started.output();
      assert.equal(started.homePage, `http://127.0.0.1:${port}/#token=dev-token`);
      assert.match(output, /No ZHIPU_API_KEY: using the local mock upstream/);
      assert.match(output, /Settings in force:/);
      assert.match(output, /ZHIPU_API_KEY=\[set\] +\(the mock\)/);
      assert.match(
        output,
        new RegExp(`ZHIPU_BASE_URL=http://127\\.0\\.0\\.1:${mockPort}/api/paas/v4`),
      );
      assert.doesNotMatch(output, /Missing required secrets/);

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(started.homePage);
        // The token went from the address bar into this tab's sessionStorage.
        assert.equal(page.url(), `http://127.0.0.1:${port}/`);
        assert.equal(
          await page.evaluate(() => sessionStorage.getItem("glm-image-token")),
          "dev-token",
        );
        await page.locator("#model option").nth(3).waitFor({ state: "attached" });
        await page.getByLabel("Prompt").fill("a paper boat on a pond");
        await page.getByRole("button", { name: "Generate" }).click();
        await page.locator("#result").waitFor({ timeout: 60_000 });
        // The root tsconfig has no DOM types: the image element, as far as this test reads it.
        type Picture = { complete: boolean; naturalWidth: number; decode(): Promise<void> };
        const width = await page
          .locator("#image")
          .evaluate((image: Picture) => image.decode().then(() => image.naturalWidth));
        assert.equal(width, 1280);
        assert.equal(await page.locator("#error").textContent(), "");
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    } finally {
      await started.stop();
    }
    assert.deepEqual(await listeningAddresses(port), []);
    assert.deepEqual(await listeningAddresses(mockPort), []);
  });

  it("npm start with a .dev.vars: every setting reaches the Worker; the start-up lines say so, secrets hidden", async () => {
    const port = await freePort();
    const secret = "a-$igning-secret-from-dev-vars";
    await writeFile(
      join(clone, ".dev.vars"),
      [
        "# settings for npm start",
        `SIGNING_SECRET='${secret}'`,
        `PUBLIC_BASE_URL=http://localhost:${port}`,
        "MAX_GENERATIONS_PER_DAY=1",
        "LOG_LEVEL=warn",
        "SIGNING_SECRT=a typo",
        "",
      ].join("\n"),
    );
    // A fresh day's budget: the first test's images do not count.
    await rm(join(clone, ".wrangler", "state"), { recursive: true, force: true });
    const started = await npmStart(port, await freePort());
    try {
      const output = started.output();
      assert.match(output, /SIGNING_SECRET=\[set\] +\(\.dev\.vars\)/);
      assert.match(
        output,
        new RegExp(`PUBLIC_BASE_URL=http://localhost:${port} +\\(\\.dev\\.vars\\)`),
      );
      assert.match(output, /MAX_GENERATIONS_PER_DAY=1 +\(\.dev\.vars\)/);
      assert.match(output, /LOG_LEVEL=warn +\(\.dev\.vars\)/);
      assert.match(
        output,
        /\.dev\.vars: SIGNING_SECRT is not a setting of the Worker and never reaches it/,
      );
      assert.doesNotMatch(output, /Missing required secrets/);

      const first = await post(started.origin, "/v1/images/generations", { prompt: "one a day" });
      const answer = (await first.json()) as { data: Array<{ url: string }> };
      assert.equal(first.status, 200, JSON.stringify(answer));
      assert.match(answer.data[0]?.url ?? "", new RegExp(`^http://localhost:${port}/images/`));
      const second = await post(started.origin, "/v1/images/generations", { prompt: "two a day" });
      const refused = (await second.json()) as { error: { code: string } };
      assert.equal(second.status, 429);
      assert.equal(refused.error.code, "budget_exceeded");

      const minted = await post(started.origin, "/v1/render-urls", { prompt: "one a day" });
      const { url } = (await minted.json()) as { url: string };
      const query = new URL(url).searchParams;
      const signature = query.get("sig");
      query.delete("sig");
      const canonical = [...query]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
        .join("&");
      assert.equal(signature, createHmac("sha256", secret).update(canonical).digest("hex"));
      await assertPng(url.replace(`http://localhost:${port}`, started.origin));

      // LOG_LEVEL=warn: the info lines of the requests above were dropped.
      assert.doesNotMatch(started.output(), /"level":"info","method":"POST"/);
      assert.ok(!started.output().includes(secret), "the signing secret was printed");
    } finally {
      await started.stop();
    }
    await rm(join(clone, ".dev.vars"));
  });

  it("npx glm-image-mock runs the clone's own bin, never the registry's", async () => {
    // An unreachable registry: npx would fail if it asked one.
    const env = {
      ...shell,
      npm_config_registry: "http://127.0.0.1:9/",
      npm_config_offline: "true",
    };
    const help = await runProcess("npx", ["glm-image-mock", "--help"], { cwd: clone, env });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: glm-image-mock \[--port 4010\]/);
    const bogus = await runProcess("npx", ["glm-image-mock", "--bogus"], { cwd: clone, env });
    assert.equal(bogus.status, 2);
    assert.match(bogus.stderr, /^glm-image-mock: unknown option --bogus\nusage: glm-image-mock/);
  });
});

describe("the README's root scripts from a Node 20 shell", () => {
  it("every script of the root and the packages that runs a program brings Node 24 first", async () => {
    const manifests = [
      ["package.json", ["sh scripts/node24.sh ", "sh scripts/run.sh "]],
      ...execFileSync("git", ["ls-files", "packages/*/package.json"], {
        cwd: clone,
        encoding: "utf8",
      })
        .trim()
        .split("\n")
        .map((path) => [path, ["sh ../../scripts/node24.sh "]]),
    ] as Array<[string, string[]]>;
    const offenders: string[] = [];
    for (const [path, prefixes] of manifests) {
      const { scripts = {} } = JSON.parse(await readFile(join(clone, path), "utf8")) as {
        scripts?: Record<string, string>;
      };
      for (const [name, script] of Object.entries(scripts)) {
        const bare = splitChain(script).filter(
          (part) => !/^npm (run|test)\b/.test(part) && !prefixes.some((p) => part.startsWith(p)),
        );
        if (bare.length > 0) offenders.push(`${path} ${name}: ${bare.join(" && ")}`);
      }
    }
    assert.deepEqual(offenders, []);
    const { scripts } = JSON.parse(await readFile(join(clone, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const name of [
      "start",
      "test",
      "check",
      "lint",
      "lint:types",
      "lint:deps",
      "test:packed",
      "bench",
      "dev",
      "build",
      "format",
      "screenshots",
    ]) {
      assert.ok(scripts[name], `package.json has no ${name} script`);
    }
  });

  for (const script of ["lint:types", "lint:deps", "lint"]) {
    it(`npm run ${script} works`, async () => {
      const run = await runProcess("npm", ["run", script], { cwd: clone, env: shell });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /ERR_UNKNOWN_FILE_EXTENSION|requires at least Node/);
    });
  }

  it("leaves nothing in git status", () => {
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
      cwd: clone,
      encoding: "utf8",
    });
    assert.equal(status, "");
  });
});

/** A script's parts between `&&`, outside single quotes. */
function splitChain(script: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let index = 0; index < script.length; index++) {
    const character = script[index];
    if (character === "'") quoted = !quoted;
    if (!quoted && script.startsWith("&&", index)) {
      parts.push(current.trim());
      current = "";
      index++;
      continue;
    }
    current += character;
  }
  parts.push(current.trim());
  return parts;
}
