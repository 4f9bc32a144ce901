import { env, SELF } from "cloudflare:test";
import { paidGenerations } from "@glm-image/testkit/mock-state";
import { describe, expect, it } from "vitest";
import { freshPrompt } from "../contract.ts";

const mockOrigin = env.MOCK_ORIGIN;
const generations = () => paidGenerations(mockOrigin);

const generate = (prompt: string, token = "token-one") =>
  SELF.fetch("http://edge.test/v1/images/generations", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
  });

describe("identical concurrent work reaches the upstream once", () => {
  it("50 concurrent identical generations: 1 upstream generation, 1 URL", async () => {
    const before = await generations();
    const prompt = freshPrompt("[mock:slow=300] fifty at once");
    const responses = await Promise.all(Array.from({ length: 50 }, () => generate(prompt)));
    const urls = await Promise.all(
      responses.map(
        async (response) =>
          ((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url,
      ),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(urls).size).toBe(1);
    expect(await generations()).toBe(before + 1);
  });

  it("50 concurrent identical /render hits: 1 upstream generation, the same bytes", async () => {
    const minted = await SELF.fetch("http://edge.test/v1/render-urls", {
      method: "POST",
      headers: { authorization: "Bearer token-one", "content-type": "application/json" },
      body: JSON.stringify({ prompt: freshPrompt("[mock:slow=300] render at once") }),
    });
    const { url } = (await minted.json()) as { url: string };
    const before = await generations();
    const responses = await Promise.all(Array.from({ length: 50 }, () => SELF.fetch(url)));
    const sizes = await Promise.all(
      responses.map(async (response) => (await response.arrayBuffer()).byteLength),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(sizes).size).toBe(1);
    expect(await generations()).toBe(before + 1);
  });
});

describe("per-token rate limit", () => {
  it("answers 429 with Retry-After once a token spends its budget, and not for other tokens", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 61; index++) {
      const response = await SELF.fetch(`http://edge.test/v1/images/${"0".repeat(64)}`, {
        headers: { authorization: "Bearer token-two" },
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toBe("60");
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          "rate_limit_exceeded",
        );
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses.slice(0, 60).every((status) => status === 404)).toBe(true);
    expect(statuses[60]).toBe(429);
    const other = await SELF.fetch(`http://edge.test/v1/images/${"0".repeat(64)}`, {
      headers: { authorization: "Bearer token-one" },
    });
    expect(other.status).toBe(404);
  });
});
