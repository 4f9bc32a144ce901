// The Deno entry as a serverless function: images in an S3 bucket (s3rver on loopback), single
// flight, journal, idempotency keys and limits in one Deno KV file shared by two `deno serve`
// processes, which must behave as one service.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  paidGenerations,
  root,
  type Service,
  startDenoEdge,
  startWranglerDev,
} from "@glm-image/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { imageStore } from "../../src/domain/image-store.ts";
import { freshPrompt } from "../contract.ts";
import { listAll, type S3ServerWithBucket, startS3 } from "./s3.ts";

const TOKEN = "token-two";
let work: string;
let s3: S3ServerWithBucket;
let dataDirectory: string;
let kvPath: string;
const running: Service[] = [];

const generations = () => paidGenerations(inject("mockOrigin"));

async function edge(): Promise<Service> {
  const service = await startDenoEdge(inject("mockBaseUrl"), dataDirectory, {
    KV_PATH: kvPath,
    ...s3.settings,
  });
  running.push(service);
  return service;
}

function generate(service: Service, body: object, headers: Record<string, string> = {}) {
  return fetch(`${service.origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const keyOf = (url: string) => /([0-9a-f]{64})/.exec(url)?.[1] ?? "";
const isPng = (bytes: Uint8Array) => bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glm-image-deno-s3-"));
  dataDirectory = join(work, "data");
  kvPath = join(work, "kv.sqlite3");
  s3 = await startS3(join(work, "s3"));
});

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("deno serve with S3 and Deno KV", () => {
  it("says at start-up which storage and coordination it uses, without secrets", async () => {
    const service = await edge();
    const line = service
      .output()
      .split("\n")
      .find((text) => text.includes("glm-image edge on Deno"));
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      storage: { kind: "s3", endpoint: s3.origin, bucket: "images" },
      coordination: { kind: "deno-kv", path: kvPath },
    });
    expect(service.output()).not.toContain(s3.settings.S3_SECRET_ACCESS_KEY);
    expect(service.output()).not.toContain("test-key");
    await service.stop();
  });

  it("refuses to start with part of the S3 settings, naming what is missing, never a value", async () => {
    const started = startDenoEdge(inject("mockBaseUrl"), dataDirectory, {
      S3_ENDPOINT: s3.settings.S3_ENDPOINT ?? "",
      S3_SECRET_ACCESS_KEY: "a-secret-that-must-not-be-printed",
    });
    const failure = await started.then(
      () => new Error("started"),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(/exited with 1/);
    expect(failure.message).toContain("missing S3_BUCKET, S3_ACCESS_KEY_ID");
    expect(failure.message).not.toContain("a-secret-that-must-not-be-printed");
  });

  it("without --unstable-kv: S3 storage, in-process coordination, and says so", async () => {
    const service = await startDenoEdge(inject("mockBaseUrl"), dataDirectory, s3.settings);
    running.push(service);
    const line = service
      .output()
      .split("\n")
      .find((text) => text.includes("glm-image edge on Deno"));
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      storage: { kind: "s3" },
      coordination: { kind: "in-process" },
    });
    await service.stop();
  });

  it("two processes, 30 identical requests: one paid generation, one image, in the bucket", async () => {
    const [first, second] = await Promise.all([edge(), edge()]);
    if (!first || !second) throw new Error("not started");
    const before = await generations();
    const body = { prompt: freshPrompt("[mock:slow=1000] two isolates"), model: "cogview-4" };
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        const response = await generate(index % 2 === 0 ? first : second, body);
        if (response.status !== 200)
          console.log(await response.clone().text(), first.output(), second.output());
        expect(response.status).toBe(200);
        return (await response.json()) as { data: Array<{ url: string }> };
      }),
    );
    expect(await generations()).toBe(before + 1);
    const paths = new Set(answers.map((answer) => new URL(answer.data[0]?.url ?? "").pathname));
    expect(paths.size).toBe(1);
    const [path] = paths;
    const key = keyOf(path ?? "");
    const fromFirst = new Uint8Array(await (await fetch(`${first.origin}${path}`)).arrayBuffer());
    const fromSecond = new Uint8Array(await (await fetch(`${second.origin}${path}`)).arrayBuffer());
    expect(isPng(fromFirst)).toBe(true);
    expect(fromSecond).toEqual(fromFirst);

    const stored = await s3.bucket.head(`images/${key}`);
    expect(stored).toEqual({ size: fromFirst.length, contentType: "image/png" });
    expect(await s3.bucket.head(`images/${key}.json`)).not.toBeNull();
    expect((await listAll(s3.bucket, "index/")).filter((name) => name.endsWith(key))).toHaveLength(
      1,
    );
    expect(await readdir(dataDirectory).catch(() => [])).toEqual([]);
    await Promise.all([first.stop(), second.stop()]);
  });

  it("binds an idempotency key once for both processes, and still after both restart", async () => {
    const idempotencyKey = `idem-${freshPrompt("shared")}`;
    const bound = { prompt: freshPrompt("bound to the key"), model: "cogview-4" };
    const other = { prompt: freshPrompt("other work"), model: "cogview-4" };
    const headers = { "idempotency-key": idempotencyKey };
    let [first, second] = await Promise.all([edge(), edge()]);
    if (!first || !second) throw new Error("not started");
    const before = await generations();
    const answer = await generate(first, bound, headers);
    expect(answer.status).toBe(200);
    const url = ((await answer.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";

    const refused = await generate(second, other, headers);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "idempotency_key_reused",
    );

    await Promise.all([first.stop(), second.stop()]);
    [first, second] = await Promise.all([edge(), edge()]);
    if (!first || !second) throw new Error("not restarted");
    for (const service of [first, second]) {
      const again = await generate(service, other, headers);
      expect(again.status).toBe(422);
    }
    const same = await generate(second, bound, headers);
    expect(same.status).toBe(200);
    const sameUrl = ((await same.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
    expect(new URL(sameUrl).pathname).toBe(new URL(url).pathname);
    expect(await generations()).toBe(before + 1);
    await Promise.all([first.stop(), second.stop()]);
  });

  it("one daily budget for both processes: the third new image is 429 budget_exceeded", async () => {
    const budget = { KV_PATH: join(work, "budget.sqlite3"), MAX_GENERATIONS_PER_DAY: "2" };
    const start = () =>
      startDenoEdge(inject("mockBaseUrl"), dataDirectory, { ...s3.settings, ...budget });
    const [first, second] = await Promise.all([start(), start()]);
    running.push(first, second);
    const prompts = [1, 2, 3].map((index) => ({
      prompt: freshPrompt(`budget ${index}`),
      model: "cogview-4",
    }));
    const before = await generations();
    expect((await generate(first, prompts[0] ?? {})).status).toBe(200);
    expect((await generate(second, prompts[1] ?? {})).status).toBe(200);
    const refused = await generate(first, prompts[2] ?? {});
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "budget_exceeded",
    );
    expect((await generate(second, prompts[2] ?? {})).status).toBe(429);
    expect(await generations()).toBe(before + 2);
    // Stored images are still served.
    expect((await generate(second, prompts[0] ?? {})).status).toBe(200);
    await Promise.all([first.stop(), second.stop()]);
  });

  it("kill -9 mid-download, restart, same request: one paid generation, no partial object", async () => {
    const body = {
      prompt: freshPrompt("[mock:slow-download=4000] killed"),
      model: "cogview-4",
    };
    const before = await generations();
    const doomed = await edge();
    const interrupted = generate(doomed, body).catch((error: unknown) => error);
    // Paid once the mock has counted the generation; the download then takes 4 s.
    while ((await generations()) === before)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await doomed.crash();
    expect(await interrupted).toBeInstanceOf(Error);

    // What the crash left: nothing of this image (an object is whole or absent).
    const between = await listAll(s3.bucket);
    const restarted = await edge();
    const response = await generate(restarted, body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: Array<{ url: string }>; stored?: boolean };
    expect(await generations()).toBe(before + 1);
    const path = new URL(answer.data[0]?.url ?? "").pathname;
    const image = await fetch(`${restarted.origin}${path}`);
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(isPng(bytes)).toBe(true);
    expect(Number(image.headers.get("content-length"))).toBe(bytes.length);

    const imageKey = keyOf(path);
    const names = (await listAll(s3.bucket)).filter((name) => name.includes(imageKey));
    expect(names).toContain(`images/${imageKey}`);
    expect(names).toContain(`images/${imageKey}.json`);
    expect(await s3.bucket.head(`images/${imageKey}`)).toEqual({
      size: bytes.length,
      contentType: "image/png",
    });
    // The crash left no bytes and no metadata of this image: an object is whole or absent. (An
    // empty index entry may stay; the gallery skips it.)
    expect(between.filter((name) => name.startsWith("images/") && name.includes(imageKey))).toEqual(
      [],
    );
    const gallery = await imageStore(s3.bucket).list({ limit: 1000 });
    expect(gallery.images.filter((image) => image.key === imageKey)).toHaveLength(1);
    await restarted.stop();
  });

  it("a process waiting on a holder that is killed takes the key over when its lease expires", async () => {
    const body = {
      prompt: freshPrompt("[mock:slow-download=4000] taken over"),
      model: "cogview-4",
    };
    const [holder, waiter] = await Promise.all([edge(), edge()]);
    const before = await generations();
    const held = generate(holder, body).catch((error: unknown) => error);
    while ((await generations()) === before)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = generate(waiter, body);
    // The holder journals the paid URL as soon as the mock answers; the download then takes 4 s.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await holder.crash();
    expect(await held).toBeInstanceOf(Error);

    const response = await waiting;
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: Array<{ url: string }>; stored?: boolean };
    expect(answer.stored).toBeUndefined();
    expect(await generations()).toBe(before + 1);
    const image = await fetch(answer.data[0]?.url ?? "");
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(isPng(bytes)).toBe(true);
    expect(bytes.length).toBe(Number(image.headers.get("content-length")));
    await waiter.stop();
  });

  it("an image the Deno entry stored is served by wrangler dev from the same objects", async () => {
    const deno = await edge();
    const response = await generate(deno, {
      prompt: freshPrompt("one layout"),
      model: "cogview-4",
    });
    const url = ((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
    const key = keyOf(url);
    const read = async (service: Service) => {
      const image = await fetch(`${service.origin}/images/${key}.png`);
      const metadata = await fetch(`${service.origin}/v1/images/${key}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const fields = (await metadata.json()) as { url: string };
      return {
        status: image.status,
        type: image.headers.get("content-type"),
        bytes: Buffer.from(await image.arrayBuffer()).toString("base64"),
        // The same fields; the URL differs only by the origin that answered.
        metadata: { ...fields, url: new URL(fields.url).pathname },
      };
    };
    const fromDeno = await read(deno);
    expect(fromDeno.status).toBe(200);
    await deno.stop();

    // Every object of the image, copied as it is into wrangler dev's local R2.
    const state = join(work, "wrangler");
    for (const name of (await listAll(s3.bucket)).filter((item) => item.includes(key))) {
      const object = await s3.bucket.get(name);
      if (!object) throw new Error(`${name} vanished`);
      const file = join(work, "object");
      await writeFile(file, new Uint8Array(await new Response(object.body).arrayBuffer()));
      await wrangler([
        "r2",
        "object",
        "put",
        `glm-image/${name}`,
        "--file",
        file,
        "--content-type",
        object.contentType ?? "application/octet-stream",
        "--local",
        "--persist-to",
        state,
      ]);
    }
    const worker = await startWranglerDev(await freePort(), state, inject("mockBaseUrl"));
    running.push(worker);
    const before = await generations();
    const fromWorker = await read(worker);
    expect(fromWorker).toEqual(fromDeno);
    expect(await generations()).toBe(before);
    await worker.stop();
  });
});

function wrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      `${root}node_modules/.bin/wrangler`,
      args,
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    );
  });
}
