import { GlmImageError, parseGenerationRequest } from "@glm-image/core";
import { startMockServer } from "@glm-image/mock";
import { directSource } from "@glm-image/node";
import { describe, expect, it } from "vitest";
import { ConcurrencyLimit, limitedGate } from "./concurrency-limit.ts";

describe("ConcurrencyLimit", () => {
  it("fixed: never more than the limit in flight, every waiter served", async () => {
    const limit = new ConcurrencyLimit({ initial: 3, adaptive: false });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const ticket = await limit.acquire();
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        limit.release(ticket, "success");
      }),
    );
    expect(most).toBe(3);
    expect(limit.limit).toBe(3);
  });

  it("adaptive: one more after a run of successes, half (rounded up) on a rate limit", async () => {
    const changes: number[] = [];
    const limit = new ConcurrencyLimit({
      initial: 2,
      adaptive: true,
      onChange: (value) => changes.push(value),
    });
    for (let i = 0; i < 2; i++) limit.release(await limit.acquire(), "success");
    expect(limit.limit).toBe(3);
    const tickets = await Promise.all([limit.acquire(), limit.acquire(), limit.acquire()]);
    limit.release(tickets[0] as number, "rate-limited");
    expect(limit.limit).toBe(2);
    // Calls that started before the decrease met the old limit: no second decrease.
    limit.release(tickets[1] as number, "rate-limited");
    expect(limit.limit).toBe(2);
    limit.release(tickets[2] as number, "failed");
    limit.release(await limit.acquire(), "rate-limited");
    limit.release(await limit.acquire(), "rate-limited");
    expect(limit.limit).toBe(1);
    expect(changes).toEqual([3, 2, 1]);
  });

  it("adaptive: never above its maximum", async () => {
    const limit = new ConcurrencyLimit({ initial: 2, adaptive: true, max: 4 });
    for (let i = 0; i < 40; i++) limit.release(await limit.acquire(), "success");
    expect(limit.limit).toBe(4);
  });
});

describe("limitedGate", () => {
  const request = (prompt: string) => parseGenerationRequest({ prompt });

  it("keeps under the account's limit: every image made, none lost to a 429", async () => {
    const mock = await startMockServer({ maxConcurrent: 2, latencyMs: 50 });
    try {
      const limit = new ConcurrencyLimit({ initial: 2, adaptive: true });
      const source = directSource({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, maxRetries: 0 });
      const gate = limitedGate(limit, { maxRetries: 5, sleep: () => Promise.resolve() });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          gate(() => source.start(request(`image ${index}`))),
        ),
      );
      expect(results).toHaveLength(10);
      expect(mock.generations).toBe(10);
      expect(limit.limit).toBeLessThanOrEqual(3);
      const refused = mock.requests.length - mock.generations;
      expect(refused).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });

  it("gives the slot back while a rate-limited call waits", async () => {
    const limit = new ConcurrencyLimit({ initial: 1, adaptive: false });
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new GlmImageError("rate_limit_exceeded", "busy", { retryable: true });
      return { url: "https://example.com/a.png" };
    };
    let during: number | undefined;
    const gate = limitedGate(limit, {
      maxRetries: 1,
      sleep: async () => {
        // While the first call waits, another one can take the only slot.
        const ticket = await limit.acquire();
        during = ticket;
        limit.release(ticket, "success");
      },
    });
    await expect(gate(flaky)).resolves.toMatchObject({ url: "https://example.com/a.png" });
    expect(during).toBeDefined();
  });
});
