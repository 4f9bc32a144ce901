// The home page, the gallery and the docs in headless Chromium (Debian's `chromium`, driven by
// playwright-core) against `wrangler dev` and the mock upstream. Every request that leaves
// 127.0.0.1 is aborted: the pages must work offline. Its screenshots go to a temporary directory:
// the README's come from `npm run screenshots` (scripts/screenshots.ts).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  launchChromium,
  paidGenerations,
  type Service,
  startWranglerDev,
} from "@glm-image/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshPrompt } from "../contract.ts";

const generations = () => paidGenerations(inject("mockOrigin"));

let service: Service;
let browser: Browser;
let context: BrowserContext;
const blocked: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  service = await startWranglerDev(
    port,
    await mkdtemp(join(tmpdir(), "glm-image-browser-")),
    inject("mockBaseUrl"),
  );
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: service.origin,
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** Opens a page that records console errors and uncaught exceptions. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${service.origin}${path}`);
  return { page, errors };
}

describe("the home page in Chromium", () => {
  it("generates an image, shows it, copies an embed that serves it; the gallery shows it", async () => {
    const { page, errors } = await open("/");
    await page.getByLabel("API token").fill("token-one");
    await page.getByLabel("API token").dispatchEvent("change");
    await expect.poll(() => page.locator("#model option").count()).toBe(4);
    await page.getByLabel("Model").selectOption("glm-image");
    expect(await page.locator("#size option").allTextContents()).toContain("1568 × 1056");
    await page.getByLabel("Size").selectOption("1568x1056");
    // A fresh state directory: fixed prompts are new work.
    for (const [other, size] of [
      ["a paper boat on a pond", "1088x1472"],
      ["mountains at sunrise", "1728x960"],
      ["a red fox in the snow", "1280x1280"],
    ] as const) {
      await fetch(`${service.origin}/v1/images/generations`, {
        method: "POST",
        headers: { authorization: "Bearer token-one", "content-type": "application/json" },
        body: JSON.stringify({ prompt: other, size }),
      });
    }
    const prompt = "[mock:slow=1500] a lighthouse at dusk";
    await page.getByLabel("Prompt").fill(prompt);
    const before = await generations();

    await page.getByRole("button", { name: "Generate" }).click();
    // Progress is visible while the (slow) generation runs.
    await expect.poll(() => page.locator("#progress").isVisible()).toBe(true);
    expect(await page.locator("#elapsed").textContent()).toMatch(/Generating… \d+ s/);

    const image = page.locator("#image");
    await page.locator("#result").waitFor({ timeout: 30_000 });
    expect(await page.locator("#error").textContent()).toBe("");
    await expect
      .poll(() => image.evaluate((node: HTMLImageElement) => node.complete && node.naturalWidth), {
        timeout: 15_000,
      })
      .toBe(1568);
    // The progress line goes with the result, before the embed's warm-up.
    expect(await page.locator("#progress").isVisible()).toBe(false);
    expect(await page.locator("#error").isVisible()).toBe(false);

    await expect.poll(() => page.locator("#embed").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Copy Markdown" }).click();
    await expect.poll(() => page.locator("#copied").textContent()).toBe("Markdown copied.");
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    const renderUrl = /^!\[[^\]]*\]\((.+)\)$/.exec(markdown)?.[1] ?? "";
    expect(renderUrl).toMatch(new RegExp(`^${service.origin}/render\\?.*&sig=[0-9a-f]{64}$`));
    expect(await page.locator("#html").inputValue()).toContain(renderUrl.replaceAll("&", "&amp;"));
    // The embed is warm and the same image: served at once, nothing paid again.
    const embedded = await fetch(renderUrl);
    expect(embedded.status).toBe(200);
    expect(embedded.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await embedded.arrayBuffer());
    expect(new DataView(bytes.buffer).getUint32(16)).toBe(1568);
    expect(await generations()).toBe(before + 1);

    const src = await image.getAttribute("src");
    const tile = page.locator(`#gallery img[src="${src}"]`);
    await expect.poll(() => tile.count()).toBe(1);
    expect(await page.locator("#gallery li").count()).toBe(4);
    // Newest first.
    expect(await page.locator("#gallery img").first().getAttribute("src")).toBe(src);
    await expect
      .poll(() => tile.evaluate((node: HTMLImageElement) => node.naturalWidth))
      .toBe(1568);

    const screenshots = await mkdtemp(join(tmpdir(), "glm-image-screenshots-"));
    await page.screenshot({ path: join(screenshots, "home.png"), fullPage: true });
    await page.locator("#gallery-title").scrollIntoViewIfNeeded();
    await page
      .locator("main section")
      .nth(1)
      .screenshot({ path: join(screenshots, "gallery.png") });
    // Deleting from the gallery (asked twice) removes the image for good.
    const boat = page.locator("#gallery li", { hasText: "a paper boat on a pond" });
    const boatUrl = (await boat.locator("img").getAttribute("src")) ?? "";
    await boat.getByRole("button", { name: "Delete a paper boat on a pond", exact: true }).click();
    await boat.getByRole("button", { name: "Yes, delete a paper boat on a pond" }).click();
    await expect.poll(() => page.locator("#gallery li").count()).toBe(3);
    expect((await fetch(boatUrl)).status).toBe(404);

    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it("takes a #token= fragment (as npm start prints it) into sessionStorage and out of the address bar", async () => {
    const { page, errors } = await open("/#token=token-one&view=1");
    expect(page.url()).toBe(`${service.origin}/#view=1`);
    expect(await page.evaluate(() => sessionStorage.getItem("glm-image-token"))).toBe("token-one");
    expect(await page.getByLabel("API token").inputValue()).toBe("token-one");
    await expect.poll(() => page.locator("#model option").count()).toBe(4);
    await page.goBack();
    expect(page.url()).not.toContain("token");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the service's message when a generation fails", async () => {
    const { page } = await open("/");
    await page.getByLabel("API token").fill("token-one");
    await page.getByLabel("Prompt").fill(freshPrompt("[mock:content-filter] refused"));
    await page.getByRole("button", { name: "Generate" }).click();
    await expect
      .poll(() => page.locator("#error").textContent())
      .toMatch(/content filter.*\(content_filter_violation\)/);
    expect(await page.locator("#progress").isVisible()).toBe(false);
    await page.close();
  });
});

/** Stores an image through the API (the mock pays) for token-two; its key and URL. */
async function stored(prompt: string, size = "1280x1280"): Promise<{ key: string; url: string }> {
  const response = await fetch(`${service.origin}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: "Bearer token-two", "content-type": "application/json" },
    body: JSON.stringify({ prompt, size }),
  });
  const url = ((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
  return { key: /\/images\/([0-9a-f]{64})\./.exec(url)?.[1] ?? "", url };
}

const metadataStatus = async (key: string) =>
  (
    await fetch(`${service.origin}/v1/images/${key}`, {
      headers: { authorization: "Bearer token-two" },
    })
  ).status;

/**
 * The home page with the token already in this tab's sessionStorage: token-two, whose per-minute
 * budget the tests above (token-one) leave alone.
 */
async function openSignedIn(width = 1200, height = 900) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.addInitScript(() => sessionStorage.setItem("glm-image-token", "token-two"));
  await page.goto(`${service.origin}/`);
  await expect.poll(() => page.locator("#gallery li").count()).toBeGreaterThan(0);
  return page;
}

describe("the gallery's Delete in Chromium", () => {
  it("asks first: one click deletes nothing, No keeps it, Yes deletes it", async () => {
    const prompt = freshPrompt("a kite over the dunes");
    const { key, url } = await stored(prompt);
    const page = await openSignedIn();
    const card = page.locator("#gallery li", { hasText: prompt });
    await expect.poll(() => card.count()).toBe(1);

    await card.getByRole("button", { name: `Delete ${prompt}`, exact: true }).click();
    // A question, not a deletion: the image is still stored and still listed.
    expect(await card.locator(".confirm").textContent()).toBe("Delete?");
    expect(await metadataStatus(key)).toBe(200);
    const no = card.getByRole("button", { name: `No, keep ${prompt}`, exact: true });
    expect(await no.evaluate((node) => node === document.activeElement)).toBe(true);
    await no.click();
    expect(
      await card.getByRole("button", { name: `Delete ${prompt}`, exact: true }).isVisible(),
    ).toBe(true);
    expect(await metadataStatus(key)).toBe(200);

    // Escape is No too.
    await card.getByRole("button", { name: `Delete ${prompt}`, exact: true }).click();
    await page.keyboard.press("Escape");
    expect(
      await card.getByRole("button", { name: `Yes, delete ${prompt}`, exact: true }).isVisible(),
    ).toBe(false);
    expect(await metadataStatus(key)).toBe(200);

    await card.getByRole("button", { name: `Delete ${prompt}`, exact: true }).click();
    await card.getByRole("button", { name: `Yes, delete ${prompt}`, exact: true }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(await metadataStatus(key)).toBe(404);
    expect((await fetch(url)).status).toBe(404);
    await page.close();
  });

  it("shows each image's date, model and size", async () => {
    const prompt = freshPrompt("a teapot, studio light");
    await stored(prompt, "1088x1472");
    const page = await openSignedIn();
    const card = page.locator("#gallery li", { hasText: prompt });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator(".meta").textContent()).toBe("glm-image1088 × 1472");
    const datetime = (await card.locator("time").getAttribute("datetime")) ?? "";
    expect(Math.abs(Date.parse(datetime) - Date.now())).toBeLessThan(10 * 60_000);
    expect(await card.locator("time").textContent()).toMatch(/\d/);
    await page.close();
  });
});

describe("the caller's usage beside the gallery", () => {
  const usageOf = async (token: string) =>
    (await (
      await fetch(`${service.origin}/v1/usage`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      data: Array<{
        tenant: string;
        paid_generations: number;
        cached_hits: number;
        estimated_cost: { usd: number; cny: number };
      }>;
    };

  it("shows today's new images, their estimated cost and the images from the store", async () => {
    const prompt = freshPrompt("a windmill");
    await stored(prompt);
    await stored(prompt);
    const page = await openSignedIn();
    const usage = page.locator("#usage");
    await expect.poll(() => usage.isVisible()).toBe(true);
    const [own] = (await usageOf("token-two")).data;
    expect(own?.cached_hits).toBeGreaterThan(0);
    expect(await usage.textContent()).toBe(
      `Today: ${own?.paid_generations} new images (US$${own?.estimated_cost.usd.toFixed(3)} · ¥${own?.estimated_cost.cny.toFixed(2)}) · ${own?.cached_hits} from the store`,
    );
    await page.close();
  });

  it("shows an admin every tenant's together", async () => {
    const page = await context.newPage();
    await page.addInitScript(() => sessionStorage.setItem("glm-image-token", "token-root"));
    await page.goto(`${service.origin}/`);
    const usage = page.locator("#usage");
    await expect.poll(() => usage.isVisible()).toBe(true);
    const paid = (await usageOf("token-root")).data.reduce(
      (total, entry) => total + entry.paid_generations,
      0,
    );
    expect(paid).toBeGreaterThan(0);
    expect(await usage.textContent()).toMatch(
      new RegExp(`^Today, every tenant: ${paid} new images`),
    );
    await page.close();
  });
});

describe("the home page at 1600 px", () => {
  it("uses the width: the form beside the result, a gallery of 4 or more columns", async () => {
    for (let index = 0; index < 4; index++) await stored(freshPrompt("a lantern, paper"));
    const page = await openSignedIn(1600, 1000);
    const columns = await page
      .locator("#gallery")
      .evaluate((node) => getComputedStyle(node).gridTemplateColumns.split(" ").length);
    expect(columns).toBeGreaterThanOrEqual(4);
    const form = await page.locator("#generate").boundingBox();
    const stage = await page.locator(".stage").boundingBox();
    const gallery = await page.locator("#gallery").boundingBox();
    expect(form && stage && gallery).toBeTruthy();
    if (!form || !stage || !gallery) return;
    expect(stage.x).toBeGreaterThan(form.x + form.width);
    expect(Math.abs(stage.y - form.y)).toBeLessThan(2);
    expect(gallery.width).toBeGreaterThan(1400);
    // Narrow: one column, the result under the form.
    await page.setViewportSize({ width: 600, height: 900 });
    const narrowForm = await page.locator("#generate").boundingBox();
    const narrowStage = await page.locator(".stage").boundingBox();
    expect(narrowStage?.y ?? 0).toBeGreaterThan((narrowForm?.y ?? 0) + (narrowForm?.height ?? 0));
    await page.close();
  });
});

describe("the docs in Chromium", () => {
  it("lists every route of /openapi.json, offline", async () => {
    const document = (await (await fetch(`${service.origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(expected).toEqual(
      expect.arrayContaining(["GET /", "GET /docs", "GET /v1/models", "DELETE /v1/images/{key}"]),
    );
    const { page, errors } = await open("/docs");
    await expect.poll(() => page.locator("section.route").count()).toBe(expected.length);
    const listed = await page.locator("#index a").allTextContents();
    expect(listed.sort()).toEqual([...expected].sort());

    // Interactive: "Try it" sends the request with the token and shows the answer.
    await page.getByLabel('API token for "Try it"').fill("token-one");
    const models = page.locator("section.route", { hasText: "GET/v1/models" }).first();
    await models.locator("summary", { hasText: "Try it" }).click();
    await models.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => models.locator(".answer").textContent()).toMatch(/^200 .*"glm-image"/s);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it("renders the descriptions' Markdown, and each route's own errors", async () => {
    const document = (await (await fetch(`${service.origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const { page, errors } = await open("/docs");
    const generations = page.locator("section.route", { hasText: "POST/v1/images/generations" });
    await expect.poll(() => generations.count()).toBe(1);
    // `auto` in the description is code, not backticks.
    expect(await generations.locator(".description code", { hasText: "auto" }).count()).toBe(1);
    expect(await generations.locator(".description").textContent()).not.toContain("`");
    // The parameter table describes the header, the body table every field.
    expect(await generations.locator("tr", { hasText: "idempotency-key" }).textContent()).toMatch(
      /Up to 255 characters/,
    );
    for (const [path, method] of [
      ["/v1/images/generations", "post"],
      ["/v1/models", "get"],
      ["/images/{file}", "get"],
    ] as const) {
      const section = page.locator("section.route", { hasText: `${method.toUpperCase()}${path}` });
      const declared = Object.keys(document.paths[path]?.[method]?.responses ?? {}).filter(
        (status) => Number(status) >= 400,
      );
      expect(await section.first().locator(".errors .status").allTextContents()).toEqual(declared);
    }
    const models = page.locator("section.route", { hasText: "GET/v1/models" }).first();
    expect(await models.locator(".errors .status").allTextContents()).toEqual(["401", "429"]);
    expect(await models.locator(".errors code", { hasText: "unauthorized" }).count()).toBe(1);

    // The renderer escapes HTML before anything else, and links only to safe places.
    const text =
      '<img src=x onerror="alert(1)"> **bold** `<b>` [a](javascript:alert(1)) [b](/docs)\n\n- one\n- two';
    // A string, so that vitest leaves the page's own import() alone.
    const html = await page.evaluate<string>(
      `import("/markdown.js").then((module) => module.markdown(${JSON.stringify(text)}))`,
    );
    expect(html).toBe(
      '<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <strong>bold</strong> <code>&lt;b&gt;</code> [a](javascript:alert(1)) <a href="/docs">b</a></p><ul><li>one</li><li>two</li></ul>',
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("a failing render in Chromium", () => {
  it("shows the placeholder as an image of the requested size", async () => {
    const minted = await fetch(`${service.origin}/v1/render-urls`, {
      method: "POST",
      headers: { authorization: "Bearer token-one", "content-type": "application/json" },
      body: JSON.stringify({ prompt: freshPrompt("[mock:content-filter]"), size: "1568x1056" }),
    });
    const { url } = (await minted.json()) as { url: string };
    const page = await context.newPage();
    await page.goto(`${service.origin}/docs`);
    const size = await page.evaluate(
      (source) =>
        new Promise<string>((resolve) => {
          const image = new Image();
          image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
          image.onerror = () => resolve("broken");
          image.src = source;
        }),
      url,
    );
    expect(size).toBe("1568x1056");
    await page.close();
  });
});

describe("the home page's light/dark embed in Chromium", () => {
  it("offers a <picture> of a light and a dark render URL, both signed and warm, and copies it", async () => {
    const { page, errors } = await open("/");
    await page.getByLabel("API token").fill("token-one");
    await page.getByLabel("API token").dispatchEvent("change");
    await expect.poll(() => page.locator("#model option").count()).toBe(4);
    await page.getByLabel("Prompt").fill(freshPrompt("a lighthouse banner"));
    await page.getByLabel("Also a dark-mode variant").check();
    const before = await generations();
    await page.getByRole("button", { name: "Generate" }).click();
    await expect
      .poll(() => page.locator("#picture-row").isVisible(), { timeout: 30_000 })
      .toBe(true);
    await page.getByRole("button", { name: "Copy picture" }).click();
    await expect.poll(() => page.locator("#copied").textContent()).toBe("picture copied.");
    const picture = await page.evaluate(() => navigator.clipboard.readText());
    const dark = /<source media="\(prefers-color-scheme: dark\)" srcset="([^"]+)">/.exec(
      picture,
    )?.[1];
    const light = /<img src="([^"]+)"/.exec(picture)?.[1];
    const signed = new RegExp(`^${service.origin}/render\\?.*&sig=[0-9a-f]{64}$`);
    for (const url of [light, dark]) expect(url?.replaceAll("&amp;", "&")).toMatch(signed);
    expect(light).not.toBe(dark);
    expect(await page.locator("#markdown-pair").inputValue()).toMatch(
      /#gh-light-mode-only\)\n!\[.*#gh-dark-mode-only\)$/,
    );
    // Both warm: the light one paid by the generation, the dark one by the render URL's warming.
    await expect.poll(generations, { timeout: 15_000 }).toBe(before + 2);
    for (const url of [light, dark]) {
      const response = await fetch(url?.replaceAll("&amp;", "&") ?? "");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      await response.arrayBuffer();
    }
    expect(await generations()).toBe(before + 2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
