// `npm run screenshots`: the README's pictures of the home page (docs/home.png) and the gallery
// (docs/gallery.png), taken in headless Chromium against `wrangler dev` and the mock upstream, in
// a fresh state directory, with prompts a person would write. `npm test` writes no tracked file.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@glm-image/mock";
import { freePort, launchChromium, startWranglerDev } from "@glm-image/testkit";

const docs = new URL("../docs/", import.meta.url).pathname;
const TOKEN = "token-one";

/** The gallery's other images, oldest first, made through the API before the page opens. */
const earlier = [
  ["A paper boat on a still pond, morning mist, soft pastel colours", "1088x1472"],
  ["Snow-capped mountains at sunrise above a sea of clouds", "1728x960"],
  ["A red fox asleep in fresh snow, close-up, shallow depth of field", "1280x1280"],
] as const;
const shown = "A lighthouse on a rocky coast at dusk, warm light in its windows, watercolour";

const mock = await startMockServer();
const state = await mkdtemp(join(tmpdir(), "glm-image-screenshots-"));
const service = await startWranglerDev(await freePort(), state, mock.baseUrl);
const browser = await launchChromium();
try {
  for (const [prompt, size] of earlier) {
    const answer = await fetch(`${service.origin}/v1/images/generations`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt, size }),
    });
    if (!answer.ok) throw new Error(`generation answered ${answer.status}: ${await answer.text()}`);
    await answer.arrayBuffer();
  }
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${service.origin}/#token=${TOKEN}`);
  await page.locator("#model option").nth(3).waitFor({ state: "attached" });
  await page.getByLabel("Size").selectOption("1568x1056");
  await page.getByLabel("Prompt").fill(shown);
  await page.getByRole("button", { name: "Generate" }).click();
  await page.locator("#embed").waitFor({ timeout: 60_000 });
  await page.locator(`#gallery img[alt="${shown}"]`).waitFor();
  await page.waitForFunction(() =>
    [...document.images].every((image) => image.complete && image.naturalWidth > 0),
  );
  await page.screenshot({ path: `${docs}home.png`, fullPage: true });
  await page.locator("section", { has: page.locator("#gallery") }).screenshot({
    path: `${docs}gallery.png`,
  });
  console.log(`wrote ${docs}home.png and ${docs}gallery.png`);
} finally {
  await browser.close();
  await service.stop();
  await mock.close();
  await rm(state, { recursive: true, force: true });
}
