import { paidGenerations } from "@glm-image/testkit/mock-state";
import { describe, expect, it } from "vitest";
import { SLOW_TASK_MS } from "./contract-settings.ts";

/** How a contract run reaches the service under test and the mock upstream behind it. */
export interface ContractTarget {
  /** Sends a request to the service; path starts with /. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The service's origin as it writes it in URLs. */
  origin: string;
  mockOrigin: string;
  token: string;
  /** What the service has logged so far, where the runner can read it. */
  output?: () => string;
}

const generations = (target: ContractTarget) => paidGenerations(target.mockOrigin);

/** Drives the mock from another process: queue a scenario, switch its image URLs. */
async function mockControl(target: ContractTarget, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${target.mockOrigin}/__mock/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`mock ${path}: ${response.status}`);
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

let unique = 0;
/** A prompt no other test uses, so that content-addressed storage starts empty for it. */
export const freshPrompt = (text: string) => `${text} #${Date.now()}-${unique++}-${Math.random()}`;

function post(
  target: ContractTarget,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return target.fetch(path, {
    method: "POST",
    headers: {
      authorization: `Bearer ${target.token}`,
      "content-type": "application/json",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface GenerationAnswer {
  created: number;
  data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
  content_filter: unknown[];
  stored?: boolean;
  warning?: string;
}

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    type: string;
    param: string | null;
    upstream_message?: string;
  };
}

/**
 * Whether a render URL's image is in storage: its public URL answers a HEAD under its content key,
 * written here from the documented rule (SHA-256 of the versioned canonical JSON), not from core's
 * code. Public, so that asking often costs the token's rate limit nothing.
 */
async function isStored(target: ContractTarget, renderUrl: string): Promise<boolean> {
  const query = new URL(renderUrl).searchParams;
  const canonical = JSON.stringify([
    "glm-image/v1",
    query.get("model"),
    query.get("prompt"),
    query.get("size"),
    query.get("quality"),
    true,
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  const key = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
  const response = await target.fetch(`/images/${key}.png`, { method: "HEAD" });
  await response.arrayBuffer();
  return response.status === 200;
}

/**
 * The runners accept two tokens, each with its own budget of 60 requests a minute (the Deno
 * entry's window is exact, and so is wrangler dev's): the tests of the gallery, the models and the
 * OpenAI mapping use the token the runner does not, so the suite stays within both budgets.
 */
const withOtherToken = (target: ContractTarget): ContractTarget => ({
  ...target,
  token: target.token === "token-one" ? "token-two" : "token-one",
});

const isPng = (bytes: Uint8Array) => bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;

/** The HTTP contract of the edge service, run against workerd and against `deno serve`. */
export function defineContractTests(name: string, target: () => ContractTarget): void {
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

  describe(`${name}: the HTTP contract`, () => {
    it("answers /healthz, /openapi.json and /docs", async () => {
      const t = target();
      expect(await (await t.fetch("/healthz")).json()).toEqual({ ok: true });
      const document = (await (await t.fetch("/openapi.json")).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(document.openapi).toBe("3.1.0");
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          "/v1/images/generations",
          "/images/{file}",
          "/v1/images/{key}",
          "/render",
          "/v1/render-urls",
          "/v1/images",
          "/v1/models",
          "/healthz",
          "/openapi.json",
          "/docs",
          "/",
        ]),
      );
      const images = document.paths["/v1/images/{key}"] as Record<string, unknown>;
      expect(Object.keys(images)).toEqual(expect.arrayContaining(["get", "delete"]));
    });

    it("asks for a bearer token", async () => {
      const t = target();
      const missing = await t.fetch("/v1/images/generations", { method: "POST", body: "{}" });
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toContain("Bearer");
      expect(((await missing.json()) as ErrorAnswer).error).toMatchObject({
        code: "unauthorized",
        type: "authentication_error",
      });
      const wrong = await t.fetch("/v1/images/generations", {
        method: "POST",
        headers: { authorization: "Bearer not-a-token" },
        body: "{}",
      });
      expect(wrong.status).toBe(401);
    });

    it("generates, stores, and serves the image forever from its own URL", async () => {
      const t = target();
      const before = await generations(t);
      const prompt = freshPrompt("a lighthouse");
      const response = await post(t, "/v1/images/generations", {
        prompt,
        size: "1568×1056",
        style: "vivid",
        background: "auto",
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as GenerationAnswer;
      expect(answer.data).toHaveLength(1);
      const url = answer.data[0]?.url ?? "";
      expect(url).toMatch(new RegExp(`^${t.origin}/images/[0-9a-f]{64}\\.png$`));
      expect(answer.created).toBeGreaterThan(1_700_000_000);
      expect(await generations(t)).toBe(before + 1);

      const image = await t.fetch(pathOf(url));
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      expect(image.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const bytes = new Uint8Array(await image.arrayBuffer());
      expect(isPng(bytes)).toBe(true);
      expect(new DataView(bytes.buffer).getUint32(16)).toBe(1568);
      expect(Number(image.headers.get("content-length"))).toBe(bytes.length);

      // Viewed again (from memory where the edge keeps it): the same answer.
      const view = await t.fetch(pathOf(url));
      const headersOf = (response: Response) =>
        [...response.headers].filter(([name]) => name !== "date");
      expect(view.status).toBe(200);
      expect(headersOf(view)).toEqual(headersOf(image));
      expect(new Uint8Array(await view.arrayBuffer())).toEqual(bytes);

      const etag = image.headers.get("etag") ?? "";
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      const revalidated = await t.fetch(pathOf(url), { headers: { "if-none-match": etag } });
      expect(revalidated.status).toBe(304);
      const head = await t.fetch(pathOf(url), { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(bytes.length));
      expect((await head.arrayBuffer()).byteLength).toBe(0);

      const again = (await (
        await post(t, "/v1/images/generations", { prompt, size: "1568x1056" })
      ).json()) as GenerationAnswer;
      expect(again.data[0]?.url).toBe(url);
      expect(await generations(t)).toBe(before + 1);
    });

    it("keeps the metadata, behind the token", async () => {
      const t = target();
      const prompt = freshPrompt("metadata");
      const answer = (await (
        await post(t, "/v1/images/generations", { prompt, model: "cogview-4" })
      ).json()) as GenerationAnswer;
      const key = /([0-9a-f]{64})/.exec(answer.data[0]?.url ?? "")?.[1];
      const metadata = await t.fetch(`/v1/images/${key}`, {
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(await metadata.json()).toMatchObject({
        key,
        url: answer.data[0]?.url,
        prompt,
        model: "cogview-4",
        size: "1024x1024",
        quality: "standard",
        content_type: "image/png",
        created: answer.created,
        content_filter: [],
      });
      expect((await t.fetch(`/v1/images/${key}`)).status).toBe(401);
      const unknown = await t.fetch(`/v1/images/${"0".repeat(64)}`, {
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(unknown.status).toBe(404);
      expect((await t.fetch(`/images/${"0".repeat(64)}.png`)).status).toBe(404);
    });

    it("answers b64_json for clients that ask for it", async () => {
      const t = target();
      const answer = (await (
        await post(t, "/v1/images/generations", {
          prompt: freshPrompt("b64"),
          response_format: "b64_json",
        })
      ).json()) as GenerationAnswer;
      const base64 = answer.data[0]?.b64_json ?? "";
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      expect(isPng(bytes)).toBe(true);
      expect(answer.data[0]?.url).toBeUndefined();
    });

    it("stores the type the bytes have, not the one they were labelled with", async () => {
      const t = target();
      const answer = (await (
        await post(t, "/v1/images/generations", { prompt: freshPrompt("[mock:jpeg-as-png]") })
      ).json()) as GenerationAnswer;
      const url = answer.data[0]?.url ?? "";
      expect(url).toMatch(/\.jpg$/);
      const served = await t.fetch(pathOf(url));
      expect(served.headers.get("content-type")).toBe("image/jpeg");
      await served.arrayBuffer();
      const missing = await t.fetch(pathOf(url.replace(/\.jpg$/, ".png")));
      expect(missing.status).toBe(404);
      await missing.arrayBuffer();
    });

    it.each([
      [{ prompt: "x", size: "100x100" }, "INVALID_SIZE", "size", /multiples of 32/],
      [
        { prompt: "x", quality: "ultra" },
        "INVALID_QUALITY",
        "quality",
        /^Unknown quality "ultra"; use one of: standard, hd/,
      ],
      [
        { prompt: "x", model: "dalle" },
        "INVALID_MODEL",
        "model",
        /^Unknown model "dalle"; use one of: glm-image, /,
      ],
      [{ prompt: "" }, "INVALID_PROMPT", "prompt", /^prompt must not be empty$/],
      [{ prompt: "x", user_id: "abc" }, "INVALID_USER_ID", "user_id", /6 to 128/],
      [{ prompt: "x", n: 5 }, "invalid_request", "n", /^n must be 1 to 4/],
      [{ prompt: "x", n: 1.5 }, "invalid_request", "n", /^n must be a whole number$/],
      [
        { prompt: "x", response_format: "png" },
        "invalid_request",
        "response_format",
        /^response_format must be one of: url, b64_json$/,
      ],
    ])("refuses %j with 400 %s", async (body, code, param, message) => {
      const t = target();
      const before = await generations(t);
      const response = await post(t, "/v1/images/generations", body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ErrorAnswer;
      expect(error).toMatchObject({ code, param, type: "invalid_request_error" });
      expect(error.message).toMatch(message);
      expect(await generations(t)).toBe(before);
    });

    it("refuses a body that is not JSON (400) or too large (413)", async () => {
      const t = target();
      expect((await post(t, "/v1/images/generations", "{not json")).status).toBe(400);
      const large = await post(t, "/v1/images/generations", { prompt: "x".repeat(70_000) });
      expect(large.status).toBe(413);
      expect(((await large.json()) as ErrorAnswer).error.code).toBe("payload_too_large");
    });

    it.each([
      ["[mock:content-filter]", 400, "content_filter_violation"],
      ["[mock:quota]", 502, "quota_exceeded"],
      ["[mock:rate-limit]", 429, "rate_limit_exceeded"],
      ["[mock:server-error]", 502, "upstream_error"],
    ])("maps upstream %s to %i %s", async (marker, status, code) => {
      const t = target();
      const response = await post(t, "/v1/images/generations", { prompt: freshPrompt(marker) });
      expect(response.status).toBe(status);
      const { error } = (await response.json()) as ErrorAnswer;
      expect(error.code).toBe(code);
      // Our English sentence; ZhiPu's own words, where it sent some, kept beside it.
      expect(error.message).toMatch(/^[\x20-\x7e]+$/);
      if (error.upstream_message !== undefined) expect(error.upstream_message).not.toBe("");
    });

    it("still answers the upstream URL of a paid image it could not store", async () => {
      const t = target();
      const response = await post(t, "/v1/images/generations", {
        prompt: freshPrompt("[mock:broken-url]"),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as GenerationAnswer;
      expect(answer.stored).toBe(false);
      expect(answer.data[0]?.url).toContain(`${t.mockOrigin}/files/`);
      expect(answer.warning).toMatch(/could not be stored/);
    });

    it("never generates twice for one Idempotency-Key, and refuses its reuse for other work", async () => {
      const t = target();
      const before = await generations(t);
      const key = `idem-${freshPrompt("k")}`;
      const body = { prompt: freshPrompt("idempotent") };
      const first = (await (
        await post(t, "/v1/images/generations", body, { "idempotency-key": key })
      ).json()) as GenerationAnswer;
      const second = (await (
        await post(t, "/v1/images/generations", body, { "idempotency-key": key })
      ).json()) as GenerationAnswer;
      expect(second.data[0]?.url).toBe(first.data[0]?.url);
      expect(await generations(t)).toBe(before + 1);
      const reused = await post(
        t,
        "/v1/images/generations",
        { prompt: freshPrompt("other") },
        { "idempotency-key": key },
      );
      expect(reused.status).toBe(422);
      expect(((await reused.json()) as ErrorAnswer).error.code).toBe("idempotency_key_reused");
    });

    it("binds an Idempotency-Key to the whole request: another n or response_format is 422, never paid", async () => {
      const t = withOtherToken(target());
      const key = `idem-${freshPrompt("whole")}`;
      const prompt = freshPrompt("bound whole");
      const headers = { "idempotency-key": key };
      const before = await generations(t);
      const first = await post(t, "/v1/images/generations", { prompt }, headers);
      expect(first.status).toBe(200);
      const url = ((await first.json()) as GenerationAnswer).data[0]?.url;
      for (const other of [
        { prompt, n: 3 },
        { prompt, response_format: "b64_json" },
        { prompt, size: "1568x1056" },
        { prompt, user: "someone-else" },
      ]) {
        const reused = await post(t, "/v1/images/generations", other, headers);
        expect(reused.status).toBe(422);
        const { error } = (await reused.json()) as ErrorAnswer;
        expect(error).toMatchObject({ code: "idempotency_key_reused", param: "Idempotency-Key" });
        expect(error.message).toMatch(/different request/);
      }
      // The same request in other words (OpenAI's model name, another spelling of the default
      // size, an ignored field) is the same request.
      const same = await post(
        t,
        "/v1/images/generations",
        { prompt, model: "dall-e-3", size: "1280×1280", n: 1, style: "vivid" },
        headers,
      );
      expect(same.status).toBe(200);
      expect(((await same.json()) as GenerationAnswer).data[0]?.url).toBe(url);
      expect(await generations(t)).toBe(before + 1);
    });

    it("answers 503 TIMEOUT with Retry-After while a task runs on, then the image, paid once", async () => {
      const t = target();
      const before = await generations(t);
      const prompt = freshPrompt(`[mock:slow-task=${SLOW_TASK_MS}] still running`);
      const { url } = (await (
        await post(t, "/v1/render-urls", {
          prompt: freshPrompt(`[mock:slow-task=${SLOW_TASK_MS}] render`),
        })
      ).json()) as { url: string };
      const [waited, viewed] = await Promise.all([
        post(t, "/v1/images/generations", { prompt }),
        t.fetch(pathOf(url)),
      ]);
      expect(waited.status).toBe(503);
      expect(Number(waited.headers.get("retry-after"))).toBeGreaterThan(0);
      const { error } = (await waited.json()) as ErrorAnswer;
      expect(error.code).toBe("TIMEOUT");
      expect(error.message).toMatch(/still being generated/);
      expect(viewed.status).toBe(503);
      expect(viewed.headers.get("content-type")).toContain("image/svg+xml");
      expect(viewed.headers.get("x-error-code")).toBe("TIMEOUT");
      expect(Number(viewed.headers.get("retry-after"))).toBeGreaterThan(0);
      await viewed.arrayBuffer();
      expect(await generations(t)).toBe(before + 2);

      // The render URL is public: it is asked again until its image comes; the POST, which counts
      // against the token's rate limit, only then (its task started at the same time).
      let rendered: Response | undefined;
      for (let attempt = 0; attempt < 30 && rendered?.status !== 200; attempt++) {
        await rendered?.arrayBuffer();
        await wait(1_000);
        rendered = await t.fetch(pathOf(url));
      }
      expect(rendered?.status).toBe(200);
      expect(isPng(new Uint8Array(await (rendered as Response).arrayBuffer()))).toBe(true);
      let answer: Response | undefined;
      for (let attempt = 0; attempt < 10 && answer?.status !== 200; attempt++) {
        await answer?.arrayBuffer();
        if (attempt > 0) await wait(2_000);
        answer = await post(t, "/v1/images/generations", { prompt });
      }
      expect(answer?.status).toBe(200);
      const image = (await (answer as Response).json()) as GenerationAnswer;
      expect(image.data[0]?.url).toMatch(new RegExp(`^${t.origin}/images/[0-9a-f]{64}\\.png$`));
      expect(await generations(t)).toBe(before + 2);
    });

    it("mints signed render URLs that generate once and then serve from storage", async () => {
      const t = target();
      const before = await generations(t);
      const minted = await post(t, "/v1/render-urls", {
        prompt: freshPrompt("render me"),
        size: "1280*1280",
      });
      const { url } = (await minted.json()) as { url: string };
      expect(url).toMatch(
        new RegExp(
          `^${t.origin}/render\\?model=glm-image&prompt=.+&quality=hd&size=1280x1280&tenant=[0-9a-f]{16}&sig=[0-9a-f]{64}$`,
        ),
      );
      const first = await t.fetch(pathOf(url));
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(isPng(new Uint8Array(await first.arrayBuffer()))).toBe(true);
      const second = await t.fetch(pathOf(url));
      expect(second.status).toBe(200);
      await second.arrayBuffer();
      expect(await generations(t)).toBe(before + 1);
    });

    it("refuses a missing, bad or tampered signature with 403", async () => {
      const t = target();
      const { url } = (await (
        await post(t, "/v1/render-urls", { prompt: freshPrompt("signed") })
      ).json()) as { url: string };
      const before = await generations(t);
      const unsigned = pathOf(url).replace(/&sig=[0-9a-f]+/, "");
      const tampered = pathOf(url).replace("size=1280x1280", "size=1568x1056");
      const badSignature = pathOf(url).replace(/sig=[0-9a-f]{4}/, "sig=0000");
      for (const path of [unsigned, tampered, badSignature]) {
        const response = await t.fetch(path);
        expect(response.status).toBe(403);
        expect(((await response.json()) as ErrorAnswer).error.code).toBe("invalid_signature");
      }
      expect(await generations(t)).toBe(before);
    });

    it("allows browser callers from allowed origins, with the openai client's headers", async () => {
      const t = target();
      const preflight = await t.fetch("/v1/images/generations", {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers":
            "authorization,content-type,x-stainless-arch,x-stainless-retry-count",
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("x-stainless-arch");
      const health = await t.fetch("/healthz", { headers: { origin: "https://evil.example" } });
      expect(health.headers.get("access-control-allow-origin")).toBeNull();
      expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("lists the models in OpenAI's shape, with their sizes", async () => {
      const t = withOtherToken(target());
      const response = await t.fetch("/v1/models", {
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(response.status).toBe(200);
      const list = (await response.json()) as {
        object: string;
        data: Array<{ id: string; object: string; owned_by: string; recommended_sizes: string[] }>;
      };
      expect(list.object).toBe("list");
      expect(list.data.map((model) => model.id)).toEqual([
        "glm-image",
        "cogview-4",
        "cogview-4-250304",
        "cogview-3-flash",
      ]);
      expect(list.data[0]).toMatchObject({ object: "model", owned_by: "zhipu" });
      expect(list.data[0]?.recommended_sizes).toContain("1568x1056");
      expect((await t.fetch("/v1/models")).status).toBe(401);
    });

    it.each([
      [{ model: "dall-e-3" }, "glm-image", "1280x1280", "hd"],
      [
        { model: "gpt-image-1", size: "1536x1024", quality: "high" },
        "glm-image",
        "1536x1024",
        "hd",
      ],
      [
        { model: "dall-e-3", size: "1024x1792", quality: "standard" },
        "glm-image",
        "1024x1792",
        "hd",
      ],
      [{ model: "dall-e-2", size: "512x512" }, "glm-image", "1280x1280", "hd"],
      [{ size: "auto", quality: "auto" }, "glm-image", "1280x1280", "hd"],
      [
        { model: "cogview-4", size: "256x256", quality: "medium" },
        "cogview-4",
        "1024x1024",
        "standard",
      ],
      [{ model: "cogview-4", size: "1792x1024", quality: "hd" }, "cogview-4", "1792x1024", "hd"],
    ])("maps OpenAI's %j to %s %s %s and says so", async (fields, model, size, quality) => {
      const t = withOtherToken(target());
      const response = await post(t, "/v1/images/generations", {
        prompt: freshPrompt("openai defaults"),
        ...fields,
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as GenerationAnswer & Record<string, unknown>;
      expect(answer).toMatchObject({ model, size, quality });
      // As OpenAI's: a GPT image model answers the bytes, the others the URL.
      const b64 = answer.data[0]?.b64_json;
      expect(b64 !== undefined).toBe(JSON.stringify(fields).includes("gpt-image"));
      const image =
        b64 === undefined
          ? new Uint8Array(await (await t.fetch(pathOf(answer.data[0]?.url ?? ""))).arrayBuffer())
          : Uint8Array.from(atob(b64), (char) => char.charCodeAt(0));
      const view = new DataView(image.buffer);
      expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(size);
    });

    // The bodies two chat front ends send, as their source writes them, and the field each reads:
    // Open WebUI (backend/open_webui/routers/images.py: `response_format: "b64_json"` unless the
    // model answers URLs, its default model dall-e-2 at 512x512; a URL is fetched with the same
    // Authorization header) and LibreChat (DALLE3.js: dall-e-3 with quality, style and size, reads
    // `url`; OpenAIImageTools.js: gpt-image-1 with background, output_format, quality and size
    // "auto", reads `b64_json`).
    it.each([
      [
        "Open WebUI, its default model",
        { model: "dall-e-2", n: 1, size: "512x512", response_format: "b64_json" },
        "b64_json",
      ],
      [
        "Open WebUI, a GPT image model",
        { model: "gpt-image-1", n: 1, size: "1024x1024" },
        "b64_json",
      ],
      [
        "LibreChat's DALL-E 3 tool",
        { model: "dall-e-3", quality: "standard", style: "vivid", size: "1792x1024", n: 1 },
        "url",
      ],
      [
        "LibreChat's image_gen_oai tool",
        {
          model: "gpt-image-1",
          n: 1,
          background: "auto",
          output_format: "png",
          quality: "auto",
          size: "auto",
        },
        "b64_json",
      ],
    ] as const)("takes the request %s sends: %j, and answers its %s", async (_, fields, read) => {
      // Carol's token: the contract's two tokens nearly spend their 60 requests a minute.
      const t = { ...target(), token: "token-carol" };
      const response = await post(t, "/v1/images/generations", {
        prompt: freshPrompt("a chat front end's"),
        ...fields,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      const [image] = ((await response.json()) as GenerationAnswer).data;
      const bytes =
        read === "url"
          ? new Uint8Array(
              await (
                await t.fetch(pathOf(image?.url ?? ""), {
                  headers: { authorization: `Bearer ${t.token}` },
                })
              ).arrayBuffer(),
            )
          : Uint8Array.from(atob(image?.b64_json ?? ""), (char) => char.charCodeAt(0));
      expect(isPng(bytes)).toBe(true);
    });

    it("answers as OpenAI's GPT image models do: b64_json by default, output_format, background, usage", async () => {
      const t = withOtherToken(target());
      const prompt = freshPrompt("gpt image fields");
      const response = await post(t, "/v1/images/generations", { prompt, model: "gpt-image-1" });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as GenerationAnswer & Record<string, unknown>;
      expect(answer.data[0]?.url).toBeUndefined();
      expect(atob(answer.data[0]?.b64_json ?? "").slice(1, 4)).toBe("PNG");
      expect(answer).toMatchObject({
        output_format: "png",
        background: "opaque",
        usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      });
      // Asked for: the URL, as from any model; dall-e-* keeps url by default and adds nothing.
      const byUrl = await post(t, "/v1/images/generations", {
        prompt,
        model: "gpt-image-1",
        response_format: "url",
      });
      expect(((await byUrl.json()) as GenerationAnswer).data[0]?.url).toMatch(/\.png$/);
      const dalle = (await (
        await post(t, "/v1/images/generations", { prompt, model: "dall-e-3" })
      ).json()) as GenerationAnswer & Record<string, unknown>;
      expect(dalle.data[0]?.url).toMatch(/\.png$/);
      expect(dalle).not.toHaveProperty("usage");
    });

    it.each([
      [{ output_format: "webp" }, "output_format", /^output_format "webp" is not supported/],
      [{ background: "transparent" }, "background", /^background "transparent" is not supported/],
      [{ moderation: "none" }, "moderation", /^moderation must be "auto" or "low"/],
      [{ output_compression: 101 }, "output_compression", /0 to 100/],
      [{ stream: true, partial_images: 2 }, "partial_images", /^partial_images must be 0/],
    ])(
      "refuses %j before anything is paid, naming what is supported",
      async (fields, param, message) => {
        const t = withOtherToken(target());
        const before = await generations(t);
        const response = await post(t, "/v1/images/generations", {
          prompt: freshPrompt("refused fields"),
          model: "gpt-image-1",
          ...fields,
        });
        expect(response.status).toBe(400);
        const { error } = (await response.json()) as {
          error: { code: string; param: string; message: string };
        };
        expect(error).toMatchObject({ code: "invalid_request", param });
        expect(error.message).toMatch(message);
        expect(await generations(t)).toBe(before);
      },
    );

    it("accepts what is harmless: output_format png, background auto and opaque, moderation low, output_compression", async () => {
      const t = withOtherToken(target());
      const response = await post(t, "/v1/images/generations", {
        prompt: freshPrompt("harmless fields"),
        model: "gpt-image-1",
        output_format: "png",
        background: "opaque",
        moderation: "low",
        output_compression: 80,
        partial_images: 0,
      });
      expect(response.status).toBe(200);
    });

    it("streams OpenAI's events with stream: true: one image_generation.completed per image, paid once", async () => {
      const t = withOtherToken(target());
      const before = await generations(t);
      const prompt = freshPrompt("streamed");
      const response = await post(t, "/v1/images/generations", {
        prompt,
        model: "gpt-image-1",
        n: 2,
        stream: true,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = (await response.text()).trim().split("\n\n");
      expect(events).toHaveLength(2);
      for (const event of events) {
        const [name, data] = event.split("\n");
        expect(name).toBe("event: image_generation.completed");
        const payload = JSON.parse((data ?? "").replace(/^data: /, "")) as Record<string, unknown>;
        expect(payload).toMatchObject({
          type: "image_generation.completed",
          output_format: "png",
          size: "1280x1280",
        });
        expect(atob(String(payload.b64_json)).slice(1, 4)).toBe("PNG");
      }
      expect(await generations(t)).toBe(before + 2);
    });

    it("answers GET /v1/models/{id}: ZhiPu's models, OpenAI's names as themselves, 404 for others", async () => {
      const t = withOtherToken(target());
      const get = (id: string) =>
        t.fetch(`/v1/models/${id}`, { headers: { authorization: `Bearer ${t.token}` } });
      const glm = await get("glm-image");
      expect(glm.status).toBe(200);
      expect(await glm.json()).toMatchObject({
        id: "glm-image",
        object: "model",
        owned_by: "zhipu",
      });
      const alias = await get("gpt-image-1");
      expect(await alias.json()).toMatchObject({ id: "gpt-image-1", object: "model" });
      const unknown = await get("no-such-model");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: "not_found", param: "id" } });
    });

    it("answers n distinct images, each generated and stored once", async () => {
      const t = withOtherToken(target());
      const prompt = freshPrompt("several");
      const before = await generations(t);
      const answer = (await (
        await post(t, "/v1/images/generations", { prompt, n: 3 })
      ).json()) as GenerationAnswer;
      const urls = answer.data.map((item) => item.url ?? "");
      expect(urls).toHaveLength(3);
      expect(new Set(urls).size).toBe(3);
      for (const url of urls) expect((await t.fetch(pathOf(url))).status).toBe(200);
      expect(await generations(t)).toBe(before + 3);
      // The first is the image a single request gets; asking again pays nothing.
      const single = (await (
        await post(t, "/v1/images/generations", { prompt })
      ).json()) as GenerationAnswer;
      expect(single.data[0]?.url).toBe(urls[0]);
      const again = (await (
        await post(t, "/v1/images/generations", { prompt, n: 2, response_format: "b64_json" })
      ).json()) as GenerationAnswer;
      expect(again.data).toHaveLength(2);
      expect(again.data.every((item) => (item.b64_json ?? "").length > 100)).toBe(true);
      expect(await generations(t)).toBe(before + 3);
    });

    it("lists stored images newest first, and deletes one so that it is generated again", async () => {
      const t = withOtherToken(target());
      const auth = { authorization: `Bearer ${t.token}` };
      const prompt = freshPrompt("gallery");
      const first = (await (
        await post(t, "/v1/images/generations", { prompt: freshPrompt("older") })
      ).json()) as GenerationAnswer;
      const answer = (await (
        await post(t, "/v1/images/generations", { prompt })
      ).json()) as GenerationAnswer;
      const url = answer.data[0]?.url ?? "";
      const key = /([0-9a-f]{64})/.exec(url)?.[1] ?? "";
      const { url: renderUrl } = (await (await post(t, "/v1/render-urls", { prompt })).json()) as {
        url: string;
      };

      const page = (await (await t.fetch("/v1/images?limit=2", { headers: auth })).json()) as {
        object: string;
        data: Array<{ key: string; url: string; prompt: string }>;
        next_cursor: string | null;
      };
      expect(page.object).toBe("list");
      expect(page.data.map((image) => image.url)).toEqual([url, first.data[0]?.url]);
      expect(page.data[0]).toMatchObject({ key, prompt });
      if (page.next_cursor) {
        const next = (await (
          await t.fetch(`/v1/images?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`, {
            headers: auth,
          })
        ).json()) as { data: Array<{ key: string }> };
        expect(next.data.map((image) => image.key)).not.toContain(key);
      }
      for (const bad of ["limit=0", "limit=101", "limit=x"]) {
        const refused = await t.fetch(`/v1/images?${bad}`, { headers: auth });
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as ErrorAnswer).error.message).toMatch(/^limit must be/);
      }
      expect((await t.fetch("/v1/images")).status).toBe(401);

      // Views through other URLs of the image, which caches keep (Cache API where there is one).
      const views = [pathOf(url), `${pathOf(url)}?x=1`, pathOf(renderUrl)];
      for (const view of views) {
        const response = await t.fetch(view);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      await wait(300);
      const paid = await generations(t);

      const deleted = await t.fetch(`/v1/images/${key}`, { method: "DELETE", headers: auth });
      expect(deleted.status).toBe(200);
      expect(await deleted.json()).toEqual({ id: key, object: "image", deleted: true });
      expect((await t.fetch(pathOf(url))).status).toBe(404);
      expect((await t.fetch(`${pathOf(url)}?x=1`)).status).toBe(404);
      expect((await t.fetch(`${pathOf(url)}?v=2&x=1`)).status).toBe(404);
      expect(await generations(t)).toBe(paid);
      expect((await t.fetch(`/v1/images/${key}`, { method: "DELETE", headers: auth })).status).toBe(
        404,
      );
      expect((await t.fetch(`/v1/images/${key}`, { method: "DELETE" })).status).toBe(401);

      // The render URL is not served from a cache either: the owner deleted the image, so its
      // next view makes it again, paid once, and the image is stored again.
      const rendered = await t.fetch(pathOf(renderUrl));
      expect(rendered.status).toBe(200);
      await rendered.arrayBuffer();
      expect(await generations(t)).toBe(paid + 1);
      const regenerated = (await (
        await post(t, "/v1/images/generations", { prompt })
      ).json()) as GenerationAnswer;
      expect(regenerated.data[0]?.url).toBe(url);
      expect((await t.fetch(pathOf(url))).status).toBe(200);
      expect(await generations(t)).toBe(paid + 1);
    });

    it("answers a render that fails as an SVG placeholder, or as JSON when asked", async () => {
      const t = withOtherToken(target());
      const { url } = (await (
        await post(t, "/v1/render-urls", {
          prompt: freshPrompt("[mock:content-filter]"),
          size: "1568x1056",
        })
      ).json()) as { url: string };
      const image = await t.fetch(pathOf(url), { headers: { accept: "image/avif,image/*,*/*" } });
      expect(image.status).toBe(400);
      expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      expect(image.headers.get("cache-control")).toBe("no-store");
      const svg = await image.text();
      expect(svg).toMatch(/^<svg [^>]*width="1568" height="1056"/);
      expect(svg).toContain("content filter");

      const json = await t.fetch(pathOf(url), { headers: { accept: "application/json" } });
      expect(json.status).toBe(400);
      expect(((await json.json()) as ErrorAnswer).error.code).toBe("content_filter_violation");

      const limited = (await (
        await post(t, "/v1/render-urls", { prompt: freshPrompt("[mock:rate-limit]") })
      ).json()) as { url: string };
      const busy = await t.fetch(pathOf(limited.url));
      expect(busy.status).toBe(429);
      expect(busy.headers.get("content-type")).toContain("image/svg+xml");
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await busy.text()).toContain('width="1280" height="1280"');
    });

    it.each(["broken-url", "truncated", "not-image"])(
      "never pays again for a paid image it could not store (%s download)",
      async (scenario) => {
        const t = target();
        const before = await generations(t);
        const prompt = freshPrompt(`[mock:${scenario}] paid once`);
        const { url } = (await (await post(t, "/v1/render-urls", { prompt })).json()) as {
          url: string;
        };
        let retryAfter = 1;
        for (let view = 0; view < 5; view++) {
          const response = await t.fetch(pathOf(url), { headers: { accept: "application/json" } });
          expect(response.status).toBe(503);
          retryAfter = Number(response.headers.get("retry-after"));
          expect(retryAfter).toBeGreaterThanOrEqual(1);
          expect(response.headers.get("location")).toBeNull();
          await response.arrayBuffer();
        }
        for (let repeat = 0; repeat < 3; repeat++) {
          const response = await post(t, "/v1/images/generations", { prompt });
          expect(response.status).toBe(200);
          const answer = (await response.json()) as GenerationAnswer;
          expect(answer.stored).toBe(false);
          expect(answer.data[0]?.url).toContain(`${t.mockOrigin}/files/`);
        }
        const b64 = await post(t, "/v1/images/generations", {
          prompt,
          response_format: "b64_json",
        });
        expect(b64.status).toBe(502);
        expect(((await b64.json()) as ErrorAnswer).error.code).toBe("DOWNLOAD_FAILED");
        expect(await generations(t)).toBe(before + 1);

        await mockControl(t, "downloads", { mode: "working" });
        try {
          let served: Response | undefined;
          for (let attempt = 0; attempt < 20 && served?.status !== 200; attempt++) {
            await served?.arrayBuffer();
            await wait(Math.min(retryAfter, 2) * 500);
            served = await t.fetch(pathOf(url), { headers: { accept: "application/json" } });
            retryAfter = Number(served.headers.get("retry-after") ?? 1);
          }
          expect(served?.status).toBe(200);
          expect(isPng(new Uint8Array(await (served as Response).arrayBuffer()))).toBe(true);
        } finally {
          await mockControl(t, "downloads", { mode: "as-made" });
        }
        const stored = (await (
          await post(t, "/v1/images/generations", { prompt })
        ).json()) as GenerationAnswer;
        expect(stored.stored).toBeUndefined();
        expect(stored.data[0]?.url).toMatch(new RegExp(`^${t.origin}/images/[0-9a-f]{64}\\.png$`));
        expect(await generations(t)).toBe(before + 1);
      },
    );

    it.each([
      ["a 2xx cut short", "truncated-answer-once"],
      ["a reset after the request was read", "reset-once"],
      ["200 with data: []", "empty-data-once"],
    ])("pays once for %s: no retry, and no second payment", async (_what, marker) => {
      // The other token: each has 60 requests a minute (an exact window on Deno and wrangler
      // dev), and token-one's are left to the tests that poll until an image is stored.
      const t = withOtherToken(target());
      const before = await generations(t);
      const body = { prompt: freshPrompt(`[mock:${marker}] charged?`), model: "cogview-4" };
      const first = await post(t, "/v1/images/generations", body);
      expect(first.status).toBe(502);
      expect(((await first.json()) as ErrorAnswer).error.message).toMatch(
        /may have (accepted it and )?charged for it/,
      );
      const second = await post(t, "/v1/images/generations", body);
      expect(second.status).toBe(502);
      const { error } = (await second.json()) as ErrorAnswer;
      expect(error.code).toBe("upstream_error");
      expect(error.message).toMatch(
        /^An earlier call to ZhiPu for this image \(.+\) ended without a readable answer and may have been charged; it is not sent again automatically/,
      );
      expect(await generations(t)).toBe(before + 1);
    });

    it("clears a call that may have been charged on DELETE: the next request generates it", async () => {
      const t = withOtherToken(target());
      const before = await generations(t);
      const body = {
        prompt: freshPrompt("[mock:truncated-answer-once] cleared"),
        model: "cogview-4",
      };
      const first = await post(t, "/v1/images/generations", body);
      expect(first.status).toBe(502);
      const { message } = ((await first.json()) as ErrorAnswer).error;
      const key = /DELETE \/v1\/images\/([0-9a-f]{64}) clears it/.exec(message)?.[1];
      const cleared = await t.fetch(`/v1/images/${key}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(cleared.status).toBe(200);
      const again = await post(t, "/v1/images/generations", body);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
      expect(await generations(t)).toBe(before + 2);
    });

    it("polls the task of a submission cut short after its id: paid once, the image answered", async () => {
      const t = withOtherToken(target());
      const before = await generations(t);
      const prompt = freshPrompt("[mock:truncated-answer-once] task id kept");
      const first = await post(t, "/v1/images/generations", { prompt });
      expect(first.status).toBe(200);
      const url = ((await first.json()) as GenerationAnswer).data[0]?.url ?? "";
      expect(url).toMatch(new RegExp(`^${t.origin}/images/[0-9a-f]{64}\\.png$`));
      const again = (await (
        await post(t, "/v1/images/generations", { prompt })
      ).json()) as GenerationAnswer;
      expect(again.data[0]?.url).toBe(url);
      expect(await generations(t)).toBe(before + 1);
    });

    it("answers b64_json only from checked bytes: a non-image or oversized download is DOWNLOAD_FAILED", async () => {
      const t = target();
      for (const marker of ["[mock:not-image]", "[mock:large=51]"]) {
        const response = await post(t, "/v1/images/generations", {
          prompt: freshPrompt(marker),
          response_format: "b64_json",
        });
        expect(response.status).toBe(502);
        expect(((await response.json()) as ErrorAnswer).error.code).toBe("DOWNLOAD_FAILED");
      }
    });

    it("reads a render URL once, strictly: bad encodings, repeated or unknown parameters are 400 and cost nothing", async () => {
      const t = target();
      const { url } = (await (
        await post(t, "/v1/render-urls", { prompt: freshPrompt("replacement \uFFFD here") })
      ).json()) as { url: string };
      const path = pathOf(url);
      expect(path).toContain("%EF%BF%BD");
      const before = await generations(t);
      const variants = ["%FF", "%FE", "%80", "%C3", "%F0%9F%98", "%ED%A0%80", "%E", "%"].map(
        (bytes) => path.replace("%EF%BF%BD", bytes),
      );
      for (const variant of variants) {
        const response = await t.fetch(variant, { headers: { accept: "application/json" } });
        expect(response.status).toBe(400);
        const error = ((await response.json()) as ErrorAnswer).error;
        expect(error.param).toBe("prompt");
        expect(error.message).toMatch(/prompt/);
      }
      const prompt = /[?&](prompt=[^&]*)/.exec(path)?.[1] ?? "";
      const repeated = await t.fetch(`${path}&${prompt}`, {
        headers: { accept: "application/json" },
      });
      expect(repeated.status).toBe(400);
      expect(((await repeated.json()) as ErrorAnswer).error.message).toMatch(
        /prompt is given twice/,
      );
      const unknown = await t.fetch(`${path}&style=vivid`, {
        headers: { accept: "application/json" },
      });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as ErrorAnswer).error.param).toBe("style");
      expect(await generations(t)).toBe(before);
    });

    it("refuses a lone surrogate as INVALID_PROMPT on every route, never a 500", async () => {
      const t = target();
      for (const path of ["/v1/images/generations", "/v1/render-urls"]) {
        const response = await post(t, path, '{"prompt": "half \\ud800 a pair"}');
        expect(response.status).toBe(400);
        expect(((await response.json()) as ErrorAnswer).error.code).toBe("INVALID_PROMPT");
      }
    });

    it("passes the upstream's Retry-After on with its 429", async () => {
      const t = target();
      for (let attempt = 0; attempt < 4; attempt++) {
        await mockControl(t, "scenarios", { kind: "rate-limit", retryAfter: 7 });
      }
      const response = await post(t, "/v1/images/generations", { prompt: freshPrompt("limited") });
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("7");
      expect(((await response.json()) as ErrorAnswer).error.code).toBe("rate_limit_exceeded");
      await mockControl(t, "reset", {});
    });

    it("answers 304 only for an image that exists", async () => {
      const missing = await target().fetch(`/images/${"1".repeat(64)}.png`, {
        headers: { "if-none-match": `"${"1".repeat(64)}"` },
      });
      expect(missing.status).toBe(404);
      expect(missing.headers.get("cache-control") ?? "").not.toContain("immutable");
    });

    it("answers 405 with Allow for a known path asked with another method", async () => {
      const t = target();
      const get = await t.fetch("/v1/images/generations", {
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("POST");
      const put = await t.fetch("/render", { method: "PUT" });
      expect(put.status).toBe(405);
      expect(put.headers.get("allow")).toContain("GET");
    });

    it("warms a render URL: the image is stored before its first view, paid once", async () => {
      const t = target();
      const before = await generations(t);
      const minted = await post(t, "/v1/render-urls", {
        prompt: freshPrompt("[mock:slow=300] warm me"),
        warm: true,
      });
      expect(minted.status).toBe(200);
      const { url } = (await minted.json()) as { url: string };
      let stored = false;
      for (let attempt = 0; attempt < 100 && !stored; attempt++) {
        await wait(100);
        stored = (await generations(t)) === before + 1 && (await isStored(t, url));
      }
      expect(stored).toBe(true);
      const view = await t.fetch(pathOf(url));
      expect(view.status).toBe(200);
      await view.arrayBuffer();
      expect(await generations(t)).toBe(before + 1);
    });

    it("answers unknown routes with a JSON 404", async () => {
      const response = await target().fetch("/nowhere");
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorAnswer).error.code).toBe("not_found");
    });
  });
}

/**
 * The home page and the docs, static files: Workers static assets in front of the Worker (not
 * reachable through the test pool's SELF, so checked against `wrangler dev`), the Deno entry's
 * static-assets.ts.
 */
export function defineStaticPageTests(name: string, target: () => ContractTarget): void {
  describe(`${name}: the static pages`, () => {
    it("serves the home page and the docs page from its own files", async () => {
      const t = target();
      for (const path of ["/", "/docs"]) {
        const page = await t.fetch(path);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toContain("text/html");
        const text = await page.text();
        expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
        const scripts = [...text.matchAll(/src="([^"]+)"/g)].map((match) => match[1] ?? "");
        for (const script of scripts) expect((await t.fetch(script)).status).toBe(200);
      }
    });

    it("serves nothing from outside its folder", async () => {
      const t = target();
      for (const path of ["/%2e%2e/package.json", "/..%2fpackage.json", "/.gitignore"]) {
        const response = await t.fetch(path);
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toContain("application/json");
      }
    });
  });
}
