import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DARK_VARIANT_SUFFIX } from "@glm-image/core";
import { darkVariantPath, planJobs } from "./plan.ts";

const workspace = await mkdtemp(join(tmpdir(), "glm-image-plan-"));

describe("planJobs with dark", () => {
  it("names the dark variant beside the light image", () => {
    assert.equal(darkVariantPath("docs/banner.png"), "docs/banner.dark.png");
    assert.equal(darkVariantPath("logo"), "logo.dark");
  });

  it("plans a dark variant after its light image: derived prompt, or the item's own", async () => {
    const jobs = await planJobs(
      {
        manifest:
          "- {path: docs/banner.png, prompt: A fox, size: social, dark: true}\n- {path: logo.png, prompt: A logo, dark: {prompt: A logo at night}}\n- {path: plain.png, prompt: Plain}\n",
      },
      workspace,
    );
    assert.deepEqual(
      jobs.map((job) => [job.path, job.request.prompt, job.request.size, job.darkOf]),
      [
        ["docs/banner.png", "A fox", "2048x1024", undefined],
        ["docs/banner.dark.png", `A fox${DARK_VARIANT_SUFFIX}`, "2048x1024", "docs/banner.png"],
        ["logo.png", "A logo", "1280x1280", undefined],
        ["logo.dark.png", "A logo at night", "1280x1280", "logo.png"],
        ["plain.png", "Plain", "1280x1280", undefined],
      ],
    );
    assert.notEqual(jobs[0]?.key, jobs[1]?.key);
  });

  it("refuses a dark variant whose path another item names, and a bad dark value", async () => {
    await assert.rejects(
      planJobs(
        { manifest: "- {path: a.png, prompt: A, dark: true}\n- {path: a.dark.png, prompt: B}\n" },
        workspace,
      ),
      /a\.dark\.png is listed twice/,
    );
    await assert.rejects(
      planJobs({ manifest: "- {path: a.png, prompt: A, dark: yes}\n" }, workspace),
      /dark must be true or \{prompt: \.\.\.\}/,
    );
  });
});
