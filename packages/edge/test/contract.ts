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

    it("answers unknown routes with a JSON 404", async () => {
      const response = await target().fetch("/nowhere");
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorAnswer).error.code).toBe("not_found");
    });
  });
}
