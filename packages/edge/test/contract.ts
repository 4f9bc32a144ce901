import { describe, expect, it } from "vitest";

/** How a contract run reaches the service under test and the mock upstream behind it. */
export interface ContractTarget {
  /** Sends a request to the service; path starts with /. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The service's origin as it writes it in URLs. */
  origin: string;
  mockOrigin: string;
  token: string;
}

async function generations(target: ContractTarget): Promise<number> {
  const state = (await (await fetch(`${target.mockOrigin}/__mock/state`)).json()) as {
    generations: number;
  };
  return state.generations;
}

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
  error: { code: string; message: string; type: string; param: string | null };
}

/**
 * Whether a render URL's image is in storage: its metadata answers under its content key, written
 * here from the documented rule (SHA-256 of the versioned canonical JSON), not from core's code.
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
  const response = await target.fetch(`/v1/images/${key}`, {
    headers: { authorization: `Bearer ${target.token}` },
  });
  await response.arrayBuffer();
  return response.status === 200;
}

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
        ]),
      );
      const docs = await t.fetch("/docs");
      expect(docs.headers.get("content-type")).toContain("text/html");
      expect(await docs.text()).toContain("/openapi.json");
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
      expect((await t.fetch(pathOf(url))).headers.get("content-type")).toBe("image/jpeg");
      expect((await t.fetch(pathOf(url.replace(/\.jpg$/, ".png")))).status).toBe(404);
    });

    it.each([
      [{ prompt: "x", size: "512x512" }, "INVALID_SIZE", "size"],
      [{ prompt: "x", quality: "standard" }, "INVALID_QUALITY", "quality"],
      [{ prompt: "x", model: "dall-e-3" }, "INVALID_MODEL", "model"],
      [{ prompt: "" }, "INVALID_PROMPT", "prompt"],
      [{ prompt: "x", user_id: "abc" }, "INVALID_USER_ID", "user_id"],
      [{ prompt: "x", n: 2 }, "invalid_request", "n"],
      [{ prompt: "x", response_format: "png" }, "invalid_request", "response_format"],
    ])("refuses %j with 400 %s", async (body, code, param) => {
      const t = target();
      const before = await generations(t);
      const response = await post(t, "/v1/images/generations", body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorAnswer).error).toMatchObject({
        code,
        param,
        type: "invalid_request_error",
      });
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
      expect(((await response.json()) as ErrorAnswer).error.code).toBe(code);
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
      expect(reused.status).toBe(400);
      expect(((await reused.json()) as ErrorAnswer).error.code).toBe("idempotency_key_reused");
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
          `^${t.origin}/render\\?model=glm-image&prompt=.+&quality=hd&size=1280x1280&sig=[0-9a-f]{64}$`,
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
