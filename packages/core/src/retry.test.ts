import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GlmImageError } from "./errors.ts";
import { retryDelay, withRetries } from "./retry.ts";

const rateLimited = (retryAfterMs?: number) =>
  new GlmImageError("rate_limit_exceeded", "slow down", {
    status: 429,
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe("retryDelay", () => {
  it("grows exponentially with jitter between half and all of the step, up to the cap", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(retryDelay(1, rateLimited(), { ...options, random: () => 0 }), 50);
    assert.equal(retryDelay(1, rateLimited(), { ...options, random: () => 1 }), 100);
    assert.equal(retryDelay(3, rateLimited(), { ...options, random: () => 1 }), 400);
    assert.equal(retryDelay(10, rateLimited(), { ...options, random: () => 1 }), 1000);
  });

  it("honours Retry-After, capped", () => {
    assert.equal(retryDelay(1, rateLimited(3000), { random: () => 0 }), 3000);
    assert.equal(retryDelay(1, rateLimited(600_000), { maxRetryAfterMs: 60_000 }), 60_000);
  });
});

describe("withRetries", () => {
  it("retries retryable errors and returns the first success", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw rateLimited(7);
        return "done";
      },
      { maxRetries: 3, sleep: async (ms) => void waits.push(ms) },
    );
    assert.equal(result, "done");
    assert.equal(calls, 3);
    assert.deepEqual(waits, [7, 7]);
  });

  it("gives up after maxRetries with the last error", async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw rateLimited(0);
        },
        { maxRetries: 2, sleep: async () => {} },
      ),
      { code: "rate_limit_exceeded" },
    );
    assert.equal(calls, 3);
  });

  it("does not wait for a Retry-After longer than maxWaitMs: throws it at once", async () => {
    let calls = 0;
    const waits: number[] = [];
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw rateLimited(calls === 1 ? 500 : 7_000);
        },
        { maxRetries: 3, maxWaitMs: 2_000, sleep: async (ms) => void waits.push(ms) },
      ),
      { code: "rate_limit_exceeded", retryAfterMs: 7_000 },
    );
    assert.equal(calls, 2);
    assert.deepEqual(waits, [500]);
  });

  it("never retries errors that will not pass", async () => {
    let calls = 0;
    const quota = new GlmImageError("quota_exceeded", "no balance", { status: 429 });
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw quota;
        },
        { maxRetries: 5, sleep: async () => {} },
      ),
      quota,
    );
    assert.equal(calls, 1);
  });

  it("reports each retry", async () => {
    const seen: Array<[number, number, string]> = [];
    let calls = 0;
    await withRetries(
      async () => {
        if (++calls === 1) throw rateLimited(5);
      },
      {
        maxRetries: 1,
        sleep: async () => {},
        onRetry: ({ attempt, delayMs, error }) => seen.push([attempt, delayMs, error.code]),
      },
    );
    assert.deepEqual(seen, [[1, 5, "rate_limit_exceeded"]]);
  });

  it("stops waiting as soon as the signal aborts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = withRetries(
      async () => {
        calls++;
        throw rateLimited(60_000);
      },
      { maxRetries: 3, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("stopped")), 10);
    await assert.rejects(pending, /stopped/);
    assert.equal(calls, 1);
  });
});
