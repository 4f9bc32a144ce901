// The light/dark embed the action makes, end to end: the bundle run as a process writes both
// files, records both in the lock and puts the <picture> in the job summary; a README-like page
// holding that <picture> shows the light image in a light browser and the dark one in a dark
// one (headless Chromium, prefers-color-scheme emulated). With SCREENSHOTS_DIR set (see the
// package README), the two screenshots are written there; otherwise to a temporary folder.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { launchChromium } from "@glm-image/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionEnv } from "./action-env.ts";
import { runDist } from "./run-dist.ts";

let mock: MockServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  mock = await startMockServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await mock.close();
});

const unescapeHtml = (text: string) =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replaceAll("&amp;", "&");

describe("a manifest item with dark", () => {
  it("writes name.png and name.dark.png, locks both, and its <picture> shows each in its colour scheme", async () => {
    const context = await actionEnv({
      manifest:
        "- path: docs/banner.png\n  prompt: A lighthouse on a cliff, wide banner\n  size: social\n  dark: true\n",
      "api-key": "test-key",
      "base-url": mock.baseUrl,
      "upload-artifact": "false",
    });
    const result = await runDist(context.env);
    expect(result.status).toBe(0);
    const images = JSON.parse((await context.outputs()).images ?? "[]") as Array<{
      path: string;
      prompt: string;
      status: string;
    }>;
    expect(images.map((image) => [image.path, image.status])).toEqual([
      ["docs/banner.png", "generated"],
      ["docs/banner.dark.png", "generated"],
    ]);
    expect(images[1]?.prompt).toMatch(/^A lighthouse on a cliff, wide banner, dark theme/);
    const lock = JSON.parse(
      await readFile(join(context.workspace, ".glm-image.lock.json"), "utf8"),
    );
    expect(Object.keys(lock.images).sort()).toEqual(["docs/banner.dark.png", "docs/banner.png"]);

    const summary = await context.summary();
    const block = /<h3>Light and dark embeds<\/h3><pre><code>([\s\S]*?)<\/code><\/pre>/.exec(
      summary,
    );
    const picture = unescapeHtml(block?.[1] ?? "");
    expect(picture).toBe(
      [
        "<picture>",
        '  <source media="(prefers-color-scheme: dark)" srcset="docs/banner.dark.png">',
        '  <img src="docs/banner.png" alt="A lighthouse on a cliff, wide banner">',
        "</picture>",
      ].join("\n"),
    );

    // The README, as a page at the repository's root: the snippet pasted as the action wrote it.
    const readme = join(context.workspace, "README.html");
    await writeFile(
      readme,
      `<!doctype html><meta charset="utf-8"><style>:root{color-scheme:light dark}body{font-family:system-ui;margin:24px}img{width:512px}</style><h1>my-project</h1>\n${picture}\n<p>A README with a light/dark banner.</p>`,
    );
    const folder =
      process.env.SCREENSHOTS_DIR ?? (await mkdtemp(join(tmpdir(), "glm-image-picture-")));
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ colorScheme, viewport: { width: 560, height: 360 } });
      await page.goto(pathToFileURL(readme).href);
      // Page code as strings: this package's TypeScript has no DOM types.
      const image = 'document.querySelector("img")';
      await page.waitForFunction(`${image}.complete && ${image}.naturalWidth > 0`);
      const loaded = String(await page.evaluate(`${image}.currentSrc`));
      expect(
        loaded.endsWith(colorScheme === "dark" ? "/docs/banner.dark.png" : "/docs/banner.png"),
      ).toBe(true);
      await page.screenshot({ path: join(folder, `picture-${colorScheme}.png`) });
      await page.close();
    }
  });
});
