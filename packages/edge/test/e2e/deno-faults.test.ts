// The Deno entry under faults, with real parts: the S3 server stopped in the middle of a test (with
// Deno KV coordination, and with the in-process one whose journal lives in the bucket), and an
// upstream task that never finishes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paidGenerations, type Service, startDenoEdge } from "@glm-image/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshPrompt } from "../contract.ts";
import { type S3ServerWithBucket, startS3 } from "./s3.ts";

const TOKEN = "token-one";
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
let work: string;
const running: Array<Service | S3ServerWithBucket> = [];

const generations = () => paidGenerations(inject("mockOrigin"));
const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function edge(name: string, overrides: Record<string, string>): Promise<Service> {
  const service = await startDenoEdge(inject("mockBaseUrl"), join(work, name), overrides);
  running.push(service);
  return service;
}

const generate = (service: Service, body: object, headers: Record<string, string> = {}) =>
  fetch(`${service.origin}/v1/images/generations`, {
    method: "POST",
    headers: { ...auth, ...headers },
    body: JSON.stringify(body),
  });

async function renderUrl(service: Service, prompt: string): Promise<string> {
  const response = await fetch(`${service.origin}/v1/render-urls`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ prompt }),
  });
  return ((await response.json()) as { url: string }).url;
}

interface ErrorAnswer {
  error: { code: string; message: string };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glm-image-deno-faults-"));
});

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await rm(work, { recursive: true, force: true });
});

describe("deno serve under faults", () => {
  it("S3 stopped mid-test: every route is 503 storage_unavailable with Retry-After, nothing is paid; served again once S3 is back", async () => {
    const s3Directory = join(work, "s3");
    const s3 = await startS3(s3Directory);
    running.push(s3);
    const [withKv, inProcess] = await Promise.all([
      edge("kv", { ...s3.settings, KV_PATH: join(work, "kv.sqlite3") }),
      edge("local", s3.settings),
    ]);
    const storedPrompt = freshPrompt("stored before the outage");
    const stored = await generate(withKv, { prompt: storedPrompt });
    expect(stored.status).toBe(200);
    const url = ((await stored.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
    const path = new URL(url).pathname;
    const key = /([0-9a-f]{64})/.exec(path)?.[1] ?? "";
    const newPrompt = freshPrompt("asked for during the outage");
    const renders = [await renderUrl(withKv, storedPrompt), await renderUrl(withKv, newPrompt)];

    await s3.stop();
    const before = await generations();
    for (const service of [withKv, inProcess]) {
      const answers = [
        await generate(service, { prompt: newPrompt }),
        await generate(service, { prompt: storedPrompt }),
        await generate(service, { prompt: newPrompt }, { "idempotency-key": `idem-${newPrompt}` }),
        await fetch(`${service.origin}${path}`),
        await fetch(`${service.origin}${path}`, { headers: { "if-none-match": `"${key}"` } }),
        await fetch(`${service.origin}/v1/images/${key}`, { headers: auth }),
        await fetch(`${service.origin}/v1/images`, { headers: auth }),
        await fetch(`${service.origin}/v1/images/${key}`, { method: "DELETE", headers: auth }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        const { error } = (await answer.json()) as ErrorAnswer;
        expect(error.code).toBe("storage_unavailable");
        expect(error.message).not.toContain(s3.origin);
      }
      for (const render of renders) {
        const answer = await fetch(
          `${service.origin}${new URL(render).pathname}${new URL(render).search}`,
        );
        expect(answer.status).toBe(503);
        expect(answer.headers.get("content-type")).toContain("image/svg+xml");
        expect(answer.headers.get("x-error-code")).toBe("storage_unavailable");
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        await answer.arrayBuffer();
      }
    }
    expect(await generations()).toBe(before);

    // The same S3 server again, on the same port and directory: everything is back.
    running.push(await startS3(s3Directory, Number(new URL(s3.origin).port)));
    for (const service of [withKv, inProcess]) {
      const image = await fetch(`${service.origin}${path}`);
      expect(image.status).toBe(200);
      await image.arrayBuffer();
    }
    expect((await generate(withKv, { prompt: newPrompt })).status).toBe(200);
    expect((await generate(inProcess, { prompt: newPrompt })).status).toBe(200);
    expect(await generations()).toBe(before + 1);
  });

  it("a task that never finishes: 503 TIMEOUT within REQUEST_WAIT_SECONDS, given up after TASK_GIVE_UP_SECONDS, an error from then on, paid once, the budget kept", async () => {
    const s3 = await startS3(join(work, "s3-task"));
    running.push(s3);
    const service = await edge("task", {
      ...s3.settings,
      KV_PATH: join(work, "task.sqlite3"),
      REQUEST_WAIT_SECONDS: "2",
      TASK_GIVE_UP_SECONDS: "4",
      MAX_GENERATIONS_PER_DAY: "2",
    });
    const prompt = freshPrompt("[mock:slow-task=600000] never done");
    const before = await generations();
    const first = await generate(service, { prompt });
    expect(first.status).toBe(503);
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await first.json()) as ErrorAnswer).error.code).toBe("TIMEOUT");

    let answer: Response | undefined;
    for (let attempt = 0; attempt < 30 && answer?.status !== 502; attempt++) {
      await answer?.arrayBuffer();
      await wait(500);
      answer = await generate(service, { prompt });
      expect([502, 503]).toContain(answer.status);
    }
    const { error } = (await (answer as Response).json()) as ErrorAnswer;
    expect(error.code).toBe("upstream_error");
    expect(error.message).toMatch(/^ZhiPu never finished task .* given up after 4 s/);
    const again = await generate(service, { prompt });
    expect(again.status).toBe(502);
    expect(((await again.json()) as ErrorAnswer).error.message).toBe(error.message);
    expect(await generations()).toBe(before + 1);

    // The given-up task keeps its place in the day's budget of 2: one more new image (asked again
    // while it takes longer than the short wait), then 429.
    const one = { prompt: freshPrompt("budget one") };
    let made = await generate(service, one);
    for (let attempt = 0; attempt < 20 && made.status === 503; attempt++) {
      await made.arrayBuffer();
      await wait(500);
      made = await generate(service, one);
    }
    expect(made.status).toBe(200);
    const over = await generate(service, { prompt: freshPrompt("budget two") });
    expect(over.status).toBe(429);
    expect(((await over.json()) as ErrorAnswer).error.code).toBe("budget_exceeded");
    expect(await generations()).toBe(before + 2);
  });
});
