import { describe, expect, it } from "vitest";
import { previews } from "./previews.ts";
import type { ImageResult } from "./produce.ts";

const image = (status: ImageResult["status"], url: string | null): ImageResult => ({
  path: "docs/a b.png",
  prompt: "x",
  model: "glm-image",
  size: "1280x1280",
  quality: "hd",
  status,
  sha256: "0".repeat(64),
  image_url: url,
});
const upstream = "https://maas-watermark-prod.cn-wlcb.ufileos.com/a.png?expires=1";
const github = {
  GITHUB_REPOSITORY: "octo/site",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_SHA: "abc",
};

describe("previews", () => {
  it("a committed image from its commit, an unchanged one from the checked-out commit", () => {
    const links = previews({ env: github, commitSha: "def", edgeUrl: undefined });
    expect(links.current(image("generated", upstream))).toBe(
      "https://github.com/octo/site/raw/def/docs/a%20b.png",
    );
    expect(links.current(image("skipped", upstream))).toBe(
      "https://github.com/octo/site/raw/abc/docs/a%20b.png",
    );
  });

  it("an edge URL is permanent; an upstream URL expires, and is never used for a skipped image", () => {
    const links = previews({ env: {}, commitSha: undefined, edgeUrl: "https://edge.example/" });
    const edgeUrl = "https://edge.example/images/abc.png";
    expect(links.current(image("generated", edgeUrl))).toBe(edgeUrl);
    expect(links.expires(edgeUrl)).toBe(false);
    expect(links.current(image("skipped", edgeUrl))).toBe(edgeUrl);
    expect(links.current(image("generated", upstream))).toBe(upstream);
    expect(links.expires(upstream)).toBe(true);
    expect(links.current(image("skipped", upstream))).toBeNull();
  });
});
