// README embeds: a light/dark pair of signed render URLs with its <picture> snippet, and caching
// that suits GitHub's image proxy (placeholders never cached, the final image immutable).
import { env, SELF } from "cloudflare:test";
import { DARK_VARIANT_SUFFIX } from "@glm-image/core";
import { paidGenerations } from "@glm-image/testkit/mock-state";
import { describe, expect, it } from "vitest";
import { IMAGE_CACHE } from "../../src/http/image-cache.ts";
import { freshPrompt } from "../contract.ts";

const generations = () => paidGenerations(env.MOCK_ORIGIN);

interface Minted {
  url: string;
  dark_url?: string;
  picture?: string;
  markdown?: string;
}

async function mint(body: Record<string, unknown>): Promise<Minted> {
  const response = await SELF.fetch("http://edge.test/v1/render-urls", {
    method: "POST",
    headers: { authorization: "Bearer token-one", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Minted;
}

const promptOf = (url: string) => new URL(url).searchParams.get("prompt");
const escaped = (url: string) => url.replaceAll("&", "&amp;");

async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("POST /v1/render-urls with dark", () => {
  it("answers only the light URL when no dark variant is asked for", async () => {
    const minted = await mint({ prompt: freshPrompt("a banner") });
    expect(Object.keys(minted)).toEqual(["url"]);
  });

  it("derives the dark prompt from the light one and answers the <picture> and Markdown pair", async () => {
    const prompt = freshPrompt("a banner of a lighthouse");
    const minted = await mint({ prompt, size: "social", dark: {} });
    expect(promptOf(minted.url)).toBe(prompt);
    expect(promptOf(minted.dark_url ?? "")).toBe(`${prompt}${DARK_VARIANT_SUFFIX}`);
    expect(new URL(minted.dark_url ?? "").searchParams.get("size")).toBe("2048x1024");
    expect(minted.picture).toContain(
      `<source media="(prefers-color-scheme: dark)" srcset="${escaped(minted.dark_url ?? "")}">`,
    );
    expect(minted.picture).toContain(`<img src="${escaped(minted.url)}"`);
    expect(minted.markdown).toBe(
      `![${prompt}](${minted.url}#gh-light-mode-only)\n![${prompt}](${minted.dark_url}#gh-dark-mode-only)`,
    );
    // Both are signed: each renders.
    for (const url of [minted.url, minted.dark_url ?? ""]) {
      const response = await SELF.fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^image\//);
    }
  });

  it("takes the caller's own dark prompt, and warms both variants", async () => {
    const before = await generations();
    const dark = freshPrompt("a lighthouse at night");
    const minted = await mint({
      prompt: freshPrompt("a lighthouse by day"),
      dark: { prompt: dark },
      warm: true,
    });
    expect(promptOf(minted.dark_url ?? "")).toBe(dark);
    await eventually(async () => ((await generations()) >= before + 2 ? true : undefined));
    expect(await generations()).toBe(before + 2);
  });

  it("refuses a bad dark prompt as INVALID_PROMPT before anything is paid", async () => {
    const response = await SELF.fetch("http://edge.test/v1/render-urls", {
      method: "POST",
      headers: { authorization: "Bearer token-one", "content-type": "application/json" },
      body: JSON.stringify({ prompt: "a banner", dark: { prompt: "   " } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "INVALID_PROMPT",
    );
  });
});

describe("caching that suits GitHub's image proxy", () => {
  it("never caches the still-generating placeholder; the image that replaces it is immutable and served from the Cache API", async () => {
    const before = await generations();
    // Slower than RENDER_WAIT_SECONDS (10 s in the tests): the first view gets the placeholder.
    const { url } = await mint({ prompt: freshPrompt("[mock:slow=11000] a slow banner") });
    const placeholder = await SELF.fetch(url);
    await placeholder.arrayBuffer();
    expect(placeholder.status).toBe(503);
    expect(placeholder.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(placeholder.headers.get("cache-control")).toBe("no-store");
    expect(placeholder.headers.get("etag")).toBeNull();

    const final = await eventually(async () => {
      const response = await SELF.fetch(url);
      if (response.status === 200) return response;
      await response.arrayBuffer();
      return undefined;
    });
    const bytes = await final.arrayBuffer();
    expect(final.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = final.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    expect(etag).not.toBe(placeholder.headers.get("etag"));

    // The final image's one cache entry is under its own URL, and holds the image, not the SVG.
    const cache = await caches.open(IMAGE_CACHE);
    const key = `http://edge.test/images/${etag?.slice(1, -1)}.png`;
    const cached = await eventually(async () => (await cache.match(key)) ?? undefined);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(cached.headers.get("content-type")).toBe("image/png");
    await cached.arrayBuffer();
    expect(await cache.match(url)).toBeUndefined();

    // With the stored object gone, the next view is the Cache API's, not storage's or ZhiPu's.
    const imageKey = etag?.slice(1, -1) ?? "";
    await env.IMAGES.delete([`images/${imageKey}`, `images/${imageKey}.json`]);
    const again = await SELF.fetch(url);
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(bytes.byteLength);
    expect(await generations()).toBe(before + 1);
  });
});
