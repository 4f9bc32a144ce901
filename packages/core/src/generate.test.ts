import assert from "node:assert/strict";
import { type AddressInfo, createServer } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { generateImage } from "./generate.ts";
import { generateImageAsync, submitImageTask } from "./generate-async.ts";
import { parseGenerationRequest } from "./schemas.ts";
import { failure } from "./test-support/failure.ts";

let mock: MockServer;
const noWait = async () => {};

before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());
beforeEach(() => mock.reset());

const options = () => ({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, sleep: noWait });

/** A loopback port that nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("generateImage", () => {
  it("sends the normalised request and answers the image URL", async () => {
    const result = await generateImage(
      parseGenerationRequest({
        prompt: " a cat ",
        size: "1568×1056",
        watermark_enabled: false,
        user_id: "user_12345",
      }),
      options(),
    );
    assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.equal(typeof result.created, "number");
    assert.deepEqual(result.warnings, []);
    assert.equal(mock.generations, 1);
    const sent = mock.requests.at(-1);
    assert.equal(sent?.path, "/api/paas/v4/images/generations");
    assert.equal(sent?.authorization, `Bearer ${mock.apiKey}`);
    assert.deepEqual(sent?.body, {
      model: "glm-image",
      prompt: "a cat",
      size: "1568x1056",
      quality: "hd",
      watermark_enabled: false,
      user_id: "user_12345",
    });
  });

  it("rejects bad input before any request is made", async () => {
    const error = await failure(
      (async () =>
        generateImage(parseGenerationRequest({ prompt: "x", quality: "standard" }), options()))(),
    );
    assert.equal(error.code, "INVALID_QUALITY");
    assert.equal(mock.requests.length, 0);
  });

  it("needs an API key", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), { baseUrl: mock.baseUrl }),
    );
    assert.equal(error.code, "MISSING_API_KEY");
    assert.match(error.message, /bigmodel\.cn/);
    assert.equal(mock.requests.length, 0);
  });

  it("maps a wrong key to authentication_error and never shows the key", async () => {
    const secret = "sk-very-secret-key-123";
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), { ...options(), apiKey: secret }),
    );
    assert.equal(error.code, "authentication_error");
    assert.equal(error.status, 401);
    assert.equal(error.upstreamCode, "1002");
    assert.equal(JSON.stringify(error.toJSON()).includes(secret), false);
    assert.equal(mock.requests.length, 1);
  });

  it("retries a rate limit burst, then succeeds", async () => {
    const retries: number[] = [];
    const result = await generateImage(
      parseGenerationRequest({ prompt: "[mock:rate-limit-2] a cat" }),
      { ...options(), onRetry: ({ attempt }) => retries.push(attempt) },
    );
    assert.ok(result.url);
    assert.deepEqual(retries, [1, 2]);
    assert.equal(mock.requests.length, 3);
    assert.equal(mock.generations, 1);
  });

  it("fails with rate_limit_exceeded after the retries", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:rate-limit] a cat" }), {
        ...options(),
        maxRetries: 2,
      }),
    );
    assert.equal(error.code, "rate_limit_exceeded");
    assert.equal(error.status, 429);
    assert.equal(error.upstreamCode, "1302");
    assert.equal(mock.requests.length, 3);
    assert.equal(mock.generations, 0);
  });

  it("honours Retry-After between attempts", async () => {
    const waits: number[] = [];
    mock.scenario({ kind: "rate-limit", retryAfter: 2 });
    await generateImage(parseGenerationRequest({ prompt: "a cat" }), {
      ...options(),
      sleep: async (ms: number) => void waits.push(ms),
    });
    assert.deepEqual(waits, [2000]);
  });

  it("never retries an empty balance", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:quota] a cat" }), options()),
    );
    assert.equal(error.code, "quota_exceeded");
    assert.equal(error.upstreamCode, "1113");
    assert.equal(mock.requests.length, 1);
  });

  it("never retries the content filter", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:content-filter] x" }), options()),
    );
    assert.equal(error.code, "content_filter_violation");
    assert.equal(error.upstreamCode, "1301");
    assert.equal(error.status, 400);
    assert.equal(mock.requests.length, 1);
  });

  it("reports content filter levels 2-3 as warnings on success", async () => {
    const result = await generateImage(
      parseGenerationRequest({ prompt: "[mock:content-filter-warning] x" }),
      options(),
    );
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? "", /level 2/);
    assert.equal(result.contentFilter[0]?.level, 2);
  });

  it("retries a transient 500", async () => {
    const result = await generateImage(
      parseGenerationRequest({ prompt: "[mock:server-error-once] x" }),
      options(),
    );
    assert.ok(result.url);
    assert.equal(mock.requests.length, 2);
  });

  it("fails with upstream_error after persistent 500s", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:server-error] x" }), {
        ...options(),
        maxRetries: 1,
      }),
    );
    assert.equal(error.code, "upstream_error");
    assert.equal(error.status, 500);
    assert.equal(mock.requests.length, 2);
  });

  it("calls an unreadable answer upstream_error, and never sends it again", async () => {
    mock.scenario({ kind: "bad-json" });
    const error = await failure(generateImage(parseGenerationRequest({ prompt: "x" }), options()));
    assert.equal(error.code, "upstream_error");
    assert.equal(error.retryable, false);
    assert.equal(error.mayHaveCharged, true);
    assert.equal(mock.requests.length, 1);
  });

  it("says there is no ZhiPu API at a base URL that answers 404", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), {
        ...options(),
        baseUrl: `${mock.url}/api/paas/v4/nowhere`,
      }),
    );
    assert.equal(error.code, "invalid_request");
    assert.equal(error.status, 404);
    assert.equal(
      error.message,
      `There is no ZhiPu API at ${mock.url}/api/paas/v4/nowhere (HTTP 404 for POST /images/generations); check ZHIPU_BASE_URL (ZhiPu's is https://open.bigmodel.cn/api/paas/v4)`,
    );
  });

  it("times out when no answer comes in time", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:hang] x" }), {
        ...options(),
        timeoutMs: 200,
      }),
    );
    assert.equal(error.code, "TIMEOUT");
    assert.equal(error.mayHaveCharged, true);
    assert.equal(mock.requests.length, 1);
  });

  it("calls a refused connection NETWORK_ERROR, after retrying it", async () => {
    const retries: number[] = [];
    const port = await closedPort();
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), {
        ...options(),
        baseUrl: `http://127.0.0.1:${port}/api/paas/v4`,
        maxRetries: 2,
        onRetry: ({ attempt }) => retries.push(attempt),
      }),
    );
    assert.equal(error.code, "NETWORK_ERROR");
    assert.equal(
      error.message,
      `Could not reach 127.0.0.1:${port} (connection refused); check ZHIPU_BASE_URL and your network`,
    );
    assert.equal(error.mayHaveCharged, false);
    assert.deepEqual(retries, [1, 2]);
  });

  it("calls a host that does not resolve NETWORK_ERROR, after retrying it", async () => {
    const retries: number[] = [];
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), {
        ...options(),
        baseUrl: "http://no-such-host.invalid/api/paas/v4",
        maxRetries: 1,
        onRetry: ({ attempt }) => retries.push(attempt),
      }),
    );
    assert.equal(error.code, "NETWORK_ERROR");
    assert.match(
      error.message,
      /^Could not reach no-such-host\.invalid \((host not found|host name lookup failed)\); check ZHIPU_BASE_URL/,
    );
    assert.deepEqual(retries, [1]);
  });

  it("stops at once when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = generateImage(parseGenerationRequest({ prompt: "[mock:hang] x" }), {
      ...options(),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    await assert.rejects(pending, /user gave up/);
  });
});

describe("paid once: an answer lost after the upstream accepted the request is never paid again", () => {
  const lost = async (marker: string, run: (prompt: string) => Promise<unknown>) => {
    // An idle connection to the upstream, as a long-running process has one: Deno's fetch sends
    // a request again by itself when a reused connection drops after the request left.
    await (await fetch(`${mock.url}/__mock/state`)).arrayBuffer();
    const error = await failure(run(`[mock:${marker}] a cat`));
    assert.equal(error.retryable, false, marker);
    assert.equal(error.mayHaveCharged, true, marker);
    assert.equal(mock.generations, 1, marker);
    assert.equal(mock.requests.filter((request) => request.method === "POST").length, 1, marker);
    mock.reset();
    return error;
  };
  const sync = (prompt: string) => generateImage({ prompt }, options());
  const submitted = (prompt: string) =>
    generateImageAsync({ prompt }, { ...options(), pollIntervalMs: 1 });

  it("a 2xx cut short before its image URL", async () => {
    assert.equal((await lost("truncated-answer", sync)).code, "upstream_error");
  });

  it("a task submission cut short: its id is kept, to poll instead of paying again", async () => {
    const error = await lost("truncated-answer", submitted);
    assert.match(error.taskId ?? "", /^\d+-/);
    assert.equal((await lost("truncated-answer=10", submitted)).taskId, undefined);
  });

  it("a 30 KB header block", async () => {
    assert.equal((await lost("huge-headers", sync)).code, "NETWORK_ERROR");
    assert.equal((await lost("huge-headers", submitted)).code, "NETWORK_ERROR");
  });

  it("a reset after the request was read", async () => {
    assert.equal((await lost("reset", sync)).code, "NETWORK_ERROR");
    assert.equal((await lost("reset", submitted)).code, "NETWORK_ERROR");
  });

  it("200 with data: [], and a task that succeeds without an image", async () => {
    assert.equal((await lost("empty-data", sync)).code, "upstream_error");
    const task = await lost("empty-data", submitted);
    assert.match(task.taskId ?? "", /^\d+-/);
  });
});

describe("generateImageAsync", () => {
  it("submits, polls until SUCCESS and answers the image URL", async () => {
    const polls: string[] = [];
    const result = await generateImageAsync(
      parseGenerationRequest({ prompt: "a cat", size: "1088x1472" }),
      { ...options(), pollIntervalMs: 1, onPoll: (task) => polls.push(task.task_status) },
    );
    assert.match(result.url, /^http:\/\/127\.0\.0\.1/);
    assert.equal(result.request.size, "1088x1472");
    assert.equal(polls.at(-1), "SUCCESS");
    assert.ok(polls.length >= 2);
    assert.ok(
      mock.requests.some((request) => request.path.startsWith("/api/paas/v4/async-result/")),
    );
  });

  it("fails when the task fails", async () => {
    mock.scenario({ kind: "fail" });
    const error = await failure(
      generateImageAsync(parseGenerationRequest({ prompt: "a cat" }), {
        ...options(),
        pollIntervalMs: 1,
      }),
    );
    assert.match(error.message, /task failed/);
  });

  it("gives up at the overall deadline", async () => {
    const error = await failure(
      generateImageAsync(parseGenerationRequest({ prompt: "a cat" }), {
        apiKey: mock.apiKey,
        baseUrl: mock.baseUrl,
        pollIntervalMs: 10_000,
        timeoutMs: 100,
      }),
    );
    assert.equal(error.code, "TIMEOUT");
    assert.equal(error.mayHaveCharged, true);
    assert.match(error.taskId ?? "", /^\d+-/);
  });

  it("keeps the task id of a task that failed, and says it was not charged", async () => {
    mock.scenario({ kind: "fail" });
    const error = await failure(
      generateImageAsync({ prompt: "a cat" }, { ...options(), pollIntervalMs: 1 }),
    );
    assert.match(error.taskId ?? "", /^\d+-/);
    assert.equal(error.mayHaveCharged, false);
  });
});

describe("a raw request from JavaScript", () => {
  it("is parsed: defaults applied, the size written WxH", async () => {
    const result = await generateImage({ prompt: "a cat", size: "1728×960" }, options());
    assert.equal(result.request.model, "glm-image");
    assert.deepEqual(mock.requests.at(-1)?.body, {
      model: "glm-image",
      prompt: "a cat",
      size: "1728x960",
      quality: "hd",
      watermark_enabled: true,
    });
  });

  it("is refused as INVALID_* before any call, by every entry point", async () => {
    const bad = { prompt: "a cat", size: "100x100" };
    for (const run of [
      () => generateImage(bad, options()),
      () => generateImageAsync(bad, options()),
      () => submitImageTask(bad, options()),
    ]) {
      assert.equal((await failure(run())).code, "INVALID_SIZE");
    }
    assert.equal(mock.requests.length, 0);
  });
});
