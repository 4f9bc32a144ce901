import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  altText,
  DARK_VARIANT_SUFFIX,
  darkVariantPrompt,
  embedSnippets,
  pasteableUrl,
} from "./embed-snippets.ts";

const url =
  "https://images.example.com/render?model=glm-image&prompt=A%20sign%20(wide)%2C%20'hi'&size=1728x960&sig=ab12";

describe("embedSnippets", () => {
  it("keeps the alternative text on one line, short", () => {
    assert.equal(altText("A lighthouse\n\n<table> at dawn\t "), "A lighthouse <table> at dawn");
    const long = altText("word ".repeat(60));
    assert.equal([...long].length, 120);
    assert.ok(long.endsWith("…"));
  });

  it("escapes what ends a Markdown link or splits a srcset, and reads back the same query", () => {
    const pasted = pasteableUrl(`${url}&x=a b,c`);
    assert.doesNotMatch(pasted, /[()\s,]/);
    assert.deepEqual(
      [...new URL(pasted).searchParams],
      [...new URL(`${url}&x=a b,c`).searchParams],
    );
  });

  it("escapes the alternative text for Markdown and for HTML", () => {
    const snippets = embedSnippets({ url, alt: 'Say "[hi]" & <b>\\' });
    assert.equal(snippets.markdown, `![Say "\\[hi\\]" & <b>\\\\](${pasteableUrl(url)})`);
    assert.equal(
      snippets.html,
      `<img src="${pasteableUrl(url).replaceAll("&", "&amp;")}" alt="Say &quot;[hi]&quot; &amp; &lt;b&gt;\\">`,
    );
  });

  it("switches by colour scheme when there is a dark variant", () => {
    const dark = `${url}&dark=1`;
    const snippets = embedSnippets({ url, darkUrl: dark, alt: "Logo" });
    assert.equal(
      snippets.picture,
      [
        "<picture>",
        `  <source media="(prefers-color-scheme: dark)" srcset="${pasteableUrl(dark).replaceAll("&", "&amp;")}">`,
        `  ${snippets.html}`,
        "</picture>",
      ].join("\n"),
    );
    assert.equal(
      snippets.markdown,
      `![Logo](${pasteableUrl(url)}#gh-light-mode-only)\n![Logo](${pasteableUrl(dark)}#gh-dark-mode-only)`,
    );
  });
});

describe("darkVariantPrompt", () => {
  it("is the caller's own prompt, or the light one asking for a dark theme", () => {
    assert.equal(darkVariantPrompt("A fox", "A fox at night"), "A fox at night");
    assert.equal(darkVariantPrompt(" A fox \n"), `A fox${DARK_VARIANT_SUFFIX}`);
  });
});
