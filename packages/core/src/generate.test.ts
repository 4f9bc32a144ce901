import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { GlmImageError } from "./errors.ts";
import { generateImage } from "./generate.ts";
import { generateImageAsync } from "./generate-async.ts";
import { parseGenerationRequest } from "./schemas.ts";

let mock: MockServer;
const noWait = async () => {};

before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());
beforeEach(() => mock.reset());

const options = () => ({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, sleep: noWait });

async function failure(promise: Promise<unknown>): Promise<GlmImageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GlmImageError, String(error));
    return error;
  }
  assert.fail("expected a failure");
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

  it("calls an unreadable answer upstream_error", async () => {
    mock.scenario({ kind: "bad-json" });
    mock.scenario({ kind: "bad-json" });
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), { ...options(), maxRetries: 1 }),
    );
    assert.equal(error.code, "upstream_error");
  });

  it("maps an upstream parameter error to invalid_request with its code", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), {
        ...options(),
        baseUrl: `${mock.url}/api/paas/v4/nowhere`,
      }),
    );
    assert.equal(error.code, "invalid_request");
    assert.equal(error.status, 404);
  });

  it("times out when no answer comes in time", async () => {
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "[mock:hang] x" }), {
        ...options(),
        timeoutMs: 200,
      }),
    );
    assert.equal(error.code, "TIMEOUT");
  });

  it("calls a refused connection NETWORK_ERROR, after retrying it", async () => {
    const retries: number[] = [];
    const error = await failure(
      generateImage(parseGenerationRequest({ prompt: "x" }), {
        ...options(),
        baseUrl: "http://127.0.0.1:9/api/paas/v4",
        maxRetries: 2,
        onRetry: ({ attempt }) => retries.push(attempt),
      }),
    );
    assert.equal(error.code, "NETWORK_ERROR");
    assert.deepEqual(retries, [1, 2]);
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
  });
});
