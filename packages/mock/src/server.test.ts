import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { placeholderPng } from "./png.ts";
import { type MockServer, startMockServer } from "./server.ts";

let mock: MockServer;
before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());
beforeEach(() => mock.reset());

function generate(body: unknown, key: string | null = mock.apiKey, path = "/images/generations") {
  return fetch(`${mock.baseUrl}${path}`, {
    method: "POST",
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: { code: string } }).error,
  };
}

/** Width, height and pixel bytes of a PNG, checked the way a decoder would. */
function decodePng(bytes: Buffer) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat: Buffer[] = [];
  let offset = 8;
  let width = 0;
  let height = 0;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("ascii", offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  assert.equal(pixels.length, (width * 3 + 1) * height);
  return { width, height, pixels };
}

describe("POST /images/generations", () => {
  it("asks for a bearer key: 401 with 1001 when missing, 1002 when wrong", async () => {
    assert.deepEqual(await errorOf(await generate({ prompt: "x" }, null)), {
      status: 401,
      code: "1001",
      message: "Header中未收到Authorization参数，无法进行身份验证。",
    });
    assert.equal((await errorOf(await generate({ prompt: "x" }, "nope"))).code, "1002");
    assert.equal(mock.generations, 0);
  });

  it("validates the body like the real API", async () => {
    const cases: Array<[unknown, string]> = [
      ["{not json", "1210"],
      [{ size: "1280x1280" }, "1213"],
      [{ prompt: "x", model: "dall-e-3" }, "1211"],
      [{ prompt: "x", size: "512x512" }, "1214"],
      [{ prompt: "x", size: "1568×1056" }, "1214"],
      [{ prompt: "x", quality: "standard" }, "1214"],
      [{ prompt: "x", model: "cogview-4", quality: "ultra" }, "1214"],
      [{ prompt: "x", user_id: "abc" }, "1214"],
      [{ prompt: "x".repeat(1001) }, "1214"],
    ];
    for (const [body, code] of cases) {
      const error = await errorOf(await generate(body));
      assert.deepEqual([error.status, error.code], [400, code], JSON.stringify(body));
    }
    assert.equal(mock.generations, 0);
  });

  it("accepts every recommended size, 960x1728 included, and cogview's own", async () => {
    assert.equal((await generate({ prompt: "x", size: "960x1728" })).status, 200);
    assert.equal(
      (await generate({ prompt: "x", model: "cogview-4", size: "720x1440", quality: "standard" }))
        .status,
      200,
    );
    assert.equal(mock.generations, 2);
  });

  it("answers an image URL serving a real PNG of that size, the same per prompt", async () => {
    const answer = (await (await generate({ prompt: "a cat", size: "1088x1472" })).json()) as {
      created: number;
      data: Array<{ url: string }>;
      content_filter: unknown[];
    };
    assert.ok(answer.created > 1_700_000_000);
    assert.deepEqual(answer.content_filter, []);
    const url = answer.data[0]?.url ?? "";
    const image = await fetch(url);
    assert.equal(image.headers.get("content-type"), "image/png");
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(Number(image.headers.get("content-length")), bytes.length);
    const { width, height } = decodePng(bytes);
    assert.deepEqual([width, height], [1088, 1472]);

    const again = (await (
      await generate({ prompt: "a cat", size: "1088x1472" })
    ).json()) as typeof answer;
    assert.equal(again.data[0]?.url, url);
    const other = (await (
      await generate({ prompt: "a dog", size: "1088x1472" })
    ).json()) as typeof answer;
    const otherBytes = Buffer.from(await (await fetch(other.data[0]?.url ?? "")).arrayBuffer());
    assert.notDeepEqual(otherBytes, bytes);
    assert.equal(mock.generations, 3);
  });

  it("writes a Chinese prompt's content key and size on its image, not question marks", async () => {
    const prompt = "中国水墨画风格，远山近水";
    const answer = (await (await generate({ prompt })).json()) as { data: Array<{ url: string }> };
    const url = new URL(answer.data[0]?.url ?? "");
    assert.equal(url.searchParams.get("key"), "10bf4e70");
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    const seed = url.searchParams.get("seed") ?? "";
    const pixels = (lines: string[]) => decodePng(placeholderPng(1280, 1280, seed, lines)).pixels;
    const drawn = decodePng(bytes).pixels;
    assert.ok(drawn.equals(pixels(["KEY 10bf4e70", "1280x1280"])));
    assert.ok(!drawn.equals(pixels([prompt])), "not the prompt's characters as '?'");
  });

  it("records what clients sent", async () => {
    await generate({ prompt: "x", watermark_enabled: false });
    assert.deepEqual(mock.requests, [
      {
        method: "POST",
        path: "/api/paas/v4/images/generations",
        authorization: `Bearer ${mock.apiKey}`,
        body: { prompt: "x", watermark_enabled: false },
      },
    ]);
  });
});

describe("scenarios", () => {
  it("by marker: persistent, once and N times", async () => {
    for (let index = 0; index < 3; index++) {
      const error = await errorOf(await generate({ prompt: "[mock:rate-limit] x" }));
      assert.deepEqual([error.status, error.code], [429, "1302"]);
    }
    assert.equal((await generate({ prompt: "[mock:server-error-once] x" })).status, 500);
    assert.equal((await generate({ prompt: "[mock:server-error-once] x" })).status, 200);
    const statuses = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await generate({ prompt: "[mock:overload-2] x" })).status);
    }
    assert.deepEqual(statuses, [429, 429, 200]);
    assert.equal(mock.generations, 2);
  });

  it("by marker: every upstream error body", async () => {
    const cases: Array<[string, number, string]> = [
      ["content-filter", 400, "1301"],
      ["quota", 429, "1113"],
      ["auth-expired", 401, "1000"],
      ["overload", 429, "1305"],
    ];
    for (const [name, status, code] of cases) {
      const error = await errorOf(await generate({ prompt: `[mock:${name}] x` }));
      assert.deepEqual([error.status, error.code], [status, code], name);
    }
  });

  it("by API, first in first out, with Retry-After", async () => {
    mock.scenario({ kind: "rate-limit", retryAfter: 3 });
    mock.scenario({ kind: "bad-json" });
    const limited = await generate({ prompt: "x" });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "3");
    const broken = await generate({ prompt: "x" });
    assert.equal(await broken.text(), "<html>oops</html>");
    assert.equal((await generate({ prompt: "x" })).status, 200);
  });

  it("content filter warnings on success", async () => {
    const answer = (await (
      await generate({ prompt: "[mock:content-filter-warning] x" })
    ).json()) as {
      content_filter: unknown;
    };
    assert.deepEqual(answer.content_filter, [{ role: "user", level: 2 }]);
  });

  it("image URLs that misbehave", async () => {
    const url = async (marker: string) =>
      (
        (await (await generate({ prompt: `[mock:${marker}] x` })).json()) as {
          data: Array<{ url: string }>;
        }
      ).data[0]?.url ?? "";
    assert.equal((await fetch(await url("broken-url"))).status, 404);
    const notImage = await fetch(await url("not-image"));
    assert.equal(notImage.headers.get("content-type"), "image/png");
    assert.match(await notImage.text(), /<html>/);
    const jpeg = Buffer.from(await (await fetch(await url("jpeg-as-png"))).arrayBuffer());
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
    await assert.rejects(async () => (await fetch(await url("truncated"))).arrayBuffer());
    const noLength = await fetch(await url("no-length"));
    assert.equal(noLength.headers.get("content-length"), null);
    decodePng(Buffer.from(await noLength.arrayBuffer()));
    const large = await fetch(await url("large=2"));
    const largeBytes = Buffer.from(await large.arrayBuffer());
    assert.ok(Math.abs(largeBytes.length - 2 * 1024 * 1024) < 64 * 1024, `${largeBytes.length}`);
    decodePng(largeBytes);
  });

  it("slow answers, and hangs that end when the client gives up", async () => {
    const started = Date.now();
    assert.equal((await generate({ prompt: "[mock:slow=150] x" })).status, 200);
    assert.ok(Date.now() - started >= 150);
    await assert.rejects(
      fetch(`${mock.baseUrl}/images/generations`, {
        method: "POST",
        headers: { authorization: `Bearer ${mock.apiKey}` },
        body: JSON.stringify({ prompt: "[mock:hang] x" }),
        signal: AbortSignal.timeout(100),
      }),
      { name: "TimeoutError" },
    );
  });
});

/** What a raw HTTP client receives for a POST: status, header count, body bytes, and how it ended. */
function rawPost(path: string, body: unknown) {
  return new Promise<{ status?: number; headers: number; text: string; ended: string }>(
    (resolve) => {
      const url = new URL(`${mock.baseUrl}${path}`);
      const received = { headers: 0, text: "" };
      const outgoing = httpRequest(
        url,
        {
          method: "POST",
          headers: { authorization: `Bearer ${mock.apiKey}` },
          maxHeaderSize: 1 << 20,
        },
        (incoming) => {
          received.headers = Object.keys(incoming.headers).length;
          incoming.setEncoding("utf8");
          incoming.on("data", (chunk: string) => {
            received.text += chunk;
          });
          incoming.on("end", () =>
            resolve({ status: incoming.statusCode, ...received, ended: "whole" }),
          );
          incoming.on("error", () =>
            resolve({ status: incoming.statusCode, ...received, ended: "cut" }),
          );
        },
      );
      outgoing.on("error", (error: NodeJS.ErrnoException) =>
        resolve({ ...received, ended: error.code ?? "error" }),
      );
      outgoing.end(JSON.stringify(body));
    },
  );
}

describe("answers lost on their way, paid all the same", () => {
  const sync = "/images/generations";
  const async = "/async/images/generations";

  it("truncated-answer: a 2xx cut short before the image URL, or the task status", async () => {
    const cut = await rawPost(sync, { prompt: "[mock:truncated-answer] x" });
    assert.equal(cut.status, 200);
    assert.equal(cut.ended, "cut");
    assert.match(cut.text, /^\{"created":\d+,"data":\[\{"url":$/);
    const task = await rawPost(async, { prompt: "[mock:truncated-answer] x" });
    assert.match(
      task.text,
      /^\{"id":"[^"]+","request_id":"[^"]+","model":"glm-image","task_status":$/,
    );
    const short = await rawPost(async, { prompt: "[mock:truncated-answer=5] x" });
    assert.equal(short.text, '{"id"');
    assert.equal(mock.generations, 3);
  });

  it("huge-headers: about 30 KB of headers before a whole answer", async () => {
    const answer = await rawPost(sync, { prompt: "[mock:huge-headers-once] x" });
    assert.equal(answer.status, 200);
    assert.ok(answer.headers > 600, String(answer.headers));
    assert.match(answer.text, /"url":"http/);
    await assert.rejects(generate({ prompt: "[mock:huge-headers] y" }));
    assert.equal(mock.generations, 2);
  });

  it("reset: the request is read and paid, the connection reset without an answer", async () => {
    const answer = await rawPost(sync, { prompt: "[mock:reset] x" });
    assert.equal(answer.status, undefined);
    assert.equal(answer.ended, "ECONNRESET");
    await rawPost(async, { prompt: "[mock:reset] x" });
    assert.equal(mock.generations, 2);
    assert.equal(mock.requests.length, 2);
  });

  it("empty-data: 200 with no image, and a task that succeeds without one", async () => {
    const answer = (await (await generate({ prompt: "[mock:empty-data] x" })).json()) as {
      data: unknown[];
    };
    assert.deepEqual(answer.data, []);
    mock.scenario({ kind: "empty-data" });
    const task = (await (await generate({ prompt: "x" }, mock.apiKey, async)).json()) as {
      id: string;
    };
    let result: { task_status?: string; image_result?: unknown[] } = {};
    for (let poll = 0; poll < 3; poll++) {
      result = (await (
        await fetch(`${mock.baseUrl}/async-result/${task.id}`, {
          headers: { authorization: `Bearer ${mock.apiKey}` },
        })
      ).json()) as typeof result;
    }
    assert.deepEqual([result.task_status, result.image_result], ["SUCCESS", []]);
    assert.equal(mock.generations, 2);
  });

  it("takes them from the control API too", async () => {
    for (const kind of ["truncated-answer", "huge-headers", "reset", "empty-data"]) {
      const response = await fetch(`${mock.url}/__mock/scenarios`, {
        method: "POST",
        body: JSON.stringify({ kind, value: 3 }),
      });
      assert.equal(response.status, 200, kind);
    }
    const first = await rawPost(sync, { prompt: "x" });
    assert.deepEqual([first.status, first.text], [200, '{"c']);
  });
});

describe("concurrency limit", () => {
  it("answers 429 1302 above maxConcurrent, and serves again once one finished", async () => {
    const limited = await startMockServer({ maxConcurrent: 2, latencyMs: 300 });
    try {
      const send = () =>
        fetch(`${limited.baseUrl}/images/generations`, {
          method: "POST",
          headers: { authorization: `Bearer ${limited.apiKey}` },
          body: JSON.stringify({ model: "glm-image", prompt: "a cat" }),
        });
      const first = await Promise.all([send(), send(), send()]);
      assert.deepEqual(first.map((response) => response.status).sort(), [200, 200, 429]);
      const error = await errorOf(first.find((response) => response.status === 429) as Response);
      assert.equal(error.code, "1302");
      // Once those finished, two at once pass again.
      const second = await Promise.all([send(), send()]);
      assert.deepEqual(
        second.map((response) => response.status),
        [200, 200],
      );
      assert.equal(limited.generations, 4);
    } finally {
      await limited.close();
    }
  });
});

describe("async API", () => {
  it("answers PROCESSING, then SUCCESS with the image", async () => {
    const task = (await (
      await generate({ prompt: "x" }, mock.apiKey, "/async/images/generations")
    ).json()) as {
      id: string;
      task_status: string;
    };
    assert.equal(task.task_status, "PROCESSING");
    const poll = async () =>
      (await (
        await fetch(`${mock.baseUrl}/async-result/${task.id}`, {
          headers: { authorization: `Bearer ${mock.apiKey}` },
        })
      ).json()) as { task_status: string; image_result?: Array<{ url: string }> };
    assert.equal((await poll()).task_status, "PROCESSING");
    assert.equal((await poll()).task_status, "PROCESSING");
    const done = await poll();
    assert.equal(done.task_status, "SUCCESS");
    assert.equal((await fetch(done.image_result?.[0]?.url ?? "")).status, 200);
    assert.equal(mock.generations, 1);
  });

  it("fails a task on request, and knows no unknown task", async () => {
    mock.scenario({ kind: "fail" });
    const task = (await (
      await generate({ prompt: "x" }, mock.apiKey, "/async/images/generations")
    ).json()) as {
      id: string;
    };
    let status = "";
    for (let poll = 0; poll < 3; poll++) {
      const response = await fetch(`${mock.baseUrl}/async-result/${task.id}`, {
        headers: { authorization: `Bearer ${mock.apiKey}` },
      });
      status = ((await response.json()) as { task_status: string }).task_status;
    }
    assert.equal(status, "FAIL");
    assert.equal(mock.generations, 0);
    const unknown = await fetch(`${mock.baseUrl}/async-result/nope`, {
      headers: { authorization: `Bearer ${mock.apiKey}` },
    });
    assert.equal(unknown.status, 404);
  });
});

describe("control API", () => {
  it("tells and resets the counters for tests in other processes", async () => {
    await generate({ prompt: "x" });
    const state = await (await fetch(`${mock.url}/__mock/state`)).json();
    assert.deepEqual(state, { generations: 1, requests: 1 });
    await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
    assert.equal(mock.generations, 0);
  });

  it("queues scenarios sent by other processes, Retry-After included", async () => {
    const queued = await fetch(`${mock.url}/__mock/scenarios`, {
      method: "POST",
      body: JSON.stringify({ kind: "rate-limit", retryAfter: 7 }),
    });
    assert.equal(queued.status, 200);
    const limited = await generate({ prompt: "x" });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "7");
    assert.equal((await generate({ prompt: "x" })).status, 200);
    const refused = await fetch(`${mock.url}/__mock/scenarios`, {
      method: "POST",
      body: JSON.stringify({ kind: "no-such-thing" }),
    });
    assert.equal(refused.status, 400);
  });

  it("switches image URLs from broken to working and back to as made", async () => {
    const answer = (await (await generate({ prompt: "x [mock:broken-url]" })).json()) as {
      data: Array<{ url: string }>;
    };
    const url = answer.data[0]?.url ?? "";
    assert.equal((await fetch(url)).status, 404);
    const working = await fetch(`${mock.url}/__mock/downloads`, {
      method: "POST",
      body: JSON.stringify({ mode: "working" }),
    });
    assert.deepEqual(await working.json(), { downloads: "working" });
    const fixed = await fetch(url);
    assert.equal(fixed.status, 200);
    assert.equal(fixed.headers.get("content-type"), "image/png");
    mock.setDownloads("truncated");
    const cut = await fetch(url)
      .then((response) => response.arrayBuffer())
      .catch(() => null);
    assert.notEqual(
      cut?.byteLength,
      Number((await fetch(url, { method: "HEAD" })).headers.get("content-length")),
    );
    await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
    assert.equal((await fetch(url)).status, 404);
  });
});

describe("slow tasks", () => {
  it("keeps an async task PROCESSING until its time is up, for a client that comes back", async () => {
    const task = (await (
      await generate({ prompt: "x [mock:slow-task=400]" }, mock.apiKey, "/async/images/generations")
    ).json()) as { id: string };
    const poll = async () =>
      (
        (await (
          await fetch(`${mock.baseUrl}/async-result/${task.id}`, {
            headers: { authorization: `Bearer ${mock.apiKey}` },
          })
        ).json()) as { task_status: string }
      ).task_status;
    for (let count = 0; count < 4; count++) assert.equal(await poll(), "PROCESSING");
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal(await poll(), "SUCCESS");
    assert.equal(mock.generations, 1);
  });
});

describe("glm-image-mock", () => {
  it("prints where it listens and serves there", async () => {
    const child = spawn(
      process.execPath,
      [new URL("./bin.ts", import.meta.url).pathname, "--port", "0"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const baseUrl = /base URL (\S+),/.exec(line.toString())?.[1] ?? "";
    const response = await fetch(`${baseUrl}/images/generations`, {
      method: "POST",
      headers: { authorization: "Bearer test-key" },
      body: JSON.stringify({ prompt: "x" }),
    });
    assert.equal(response.status, 200);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });
});
