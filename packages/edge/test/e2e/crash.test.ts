import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  paidGenerations,
  type Service,
  startDenoEdge,
  startWranglerDev,
} from "@glm-image/testkit";
import { afterEach, describe, expect, inject, it } from "vitest";
import { freshPrompt } from "../contract.ts";

// What a crash, a restart or a spent budget costs: the mock's paid-generation counter is the
// witness. Each runtime is killed with SIGKILL mid-generation and mid-download, restarted on the
// same state, and asked the same thing again.

const mockOrigin = () => inject("mockOrigin");
const generations = () => paidGenerations(mockOrigin());
const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (await condition()) return;
    await wait(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const generate = (service: Service, prompt: string) =>
  fetch(`${service.origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: "Bearer token-one", "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
  });

interface Runtime {
  name: string;
  /** Starts the service on the same port and state every time. */
  start(overrides?: Record<string, string>): Promise<Service>;
  /** Files anywhere under the state, to look for leftovers. */
  files(): Promise<string[]>;
}

async function wranglerRuntime(): Promise<Runtime> {
  const state = await mkdtemp(join(tmpdir(), "glm-image-crash-wrangler-"));
  const port = await freePort();
  return {
    name: "wrangler dev",
    start: (overrides = {}) => startWranglerDev(port, state, inject("mockBaseUrl"), overrides),
    files: async () => readdir(state, { recursive: true }),
  };
}

async function denoRuntime(): Promise<Runtime> {
  const data = await mkdtemp(join(tmpdir(), "glm-image-crash-deno-"));
  const port = await freePort();
  return {
    name: "deno serve",
    start: (overrides = {}) => startDenoEdge(inject("mockBaseUrl"), data, overrides, port),
    files: async () => readdir(data, { recursive: true }),
  };
}

let running: Service | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe.each([
  ["wrangler dev", wranglerRuntime],
  ["deno serve", denoRuntime],
])("%s: a paid image survives a crash", (_name, makeRuntime) => {
  it.each([
    // The mock counts a task when it accepts it, a moment before the edge journals its id: the one
    // window no journal can close (an accepted request whose answer was lost). Crash after it.
    ["while the upstream is generating (async task)", "[mock:slow-task=6000]", 500],
    ["while the image is downloading", "[mock:slow-download=6000]", 600],
  ])("kill -9 %s, restart, same request: paid once, image whole", async (_when, marker, delay) => {
    const runtime = await makeRuntime();
    running = await runtime.start();
    const before = await generations();
    const prompt = freshPrompt(`${marker} crash`);
    const first = generate(running, prompt).catch((error: unknown) => error);
    await until(async () => (await generations()) === before + 1, "the paid generation");
    await wait(delay);
    await running.crash();
    expect(await first).toBeInstanceOf(Error);

    running = await runtime.start();
    const response = await generate(running, prompt);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: Array<{ url: string }>; stored?: boolean };
    expect(answer.stored).toBeUndefined();
    const image = await fetch(answer.data[0]?.url ?? "");
    expect(image.status).toBe(200);
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(bytes.length).toBe(Number(image.headers.get("content-length")));
    expect(Array.from(bytes.subarray(bytes.length - 8, bytes.length - 4))).toEqual([
      0x49, 0x45, 0x4e, 0x44,
    ]);
    expect(await generations()).toBe(before + 1);
    expect((await runtime.files()).filter((file) => file.endsWith(".part"))).toEqual([]);
  });

  it("MAX_GENERATIONS_PER_DAY=2: the third new image is 429 budget_exceeded, stored ones still served", async () => {
    const runtime = await makeRuntime();
    running = await runtime.start({ MAX_GENERATIONS_PER_DAY: "2" });
    const urls: string[] = [];
    for (const text of ["one", "two"]) {
      const response = await generate(running, freshPrompt(`budget ${text}`));
      expect(response.status).toBe(200);
      urls.push(((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "");
    }
    const before = await generations();
    const third = await generate(running, freshPrompt("budget three"));
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe(
      "budget_exceeded",
    );
    expect(await generations()).toBe(before);
    for (const url of urls) expect((await fetch(url)).status).toBe(200);
  });
});
