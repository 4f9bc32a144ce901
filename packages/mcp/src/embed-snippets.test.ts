import { describe, expect, it } from "vitest";
import { altText, embedSnippets, pasteableUrl } from "./embed-snippets.ts";

const url =
  "https://images.example.com/render?model=glm-image&prompt=A%20sign%20(wide)%2C%20'hi'&size=1728x960&sig=ab12";

describe("embedSnippets", () => {
  it("keeps the alternative text on one line, short", () => {
    expect(altText("A lighthouse\n\n<table> at dawn\t ")).toBe("A lighthouse <table> at dawn");
    const long = altText("word ".repeat(60));
    expect([...long]).toHaveLength(120);
    expect(long.endsWith("…")).toBe(true);
  });

  it("escapes what ends a Markdown link or splits a srcset, and reads back the same query", () => {
    const pasted = pasteableUrl(`${url}&x=a b,c`);
    expect(pasted).not.toMatch(/[()\s,]/);
    expect([...new URL(pasted).searchParams]).toEqual([...new URL(`${url}&x=a b,c`).searchParams]);
  });

  it("escapes the alternative text for Markdown and for HTML", () => {
    const snippets = embedSnippets({ url, alt: 'Say "[hi]" & <b>\\' });
    expect(snippets.markdown).toBe(`![Say "\\[hi\\]" & <b>\\\\](${pasteableUrl(url)})`);
    expect(snippets.html).toBe(
      `<img src="${pasteableUrl(url).replaceAll("&", "&amp;")}" alt="Say &quot;[hi]&quot; &amp; &lt;b&gt;\\">`,
    );
  });

  it("switches by colour scheme when there is a dark variant", () => {
    const dark = `${url}&dark=1`;
    const snippets = embedSnippets({ url, darkUrl: dark, alt: "Logo" });
    expect(snippets.picture).toBe(
      [
        "<picture>",
        `  <source media="(prefers-color-scheme: dark)" srcset="${pasteableUrl(dark).replaceAll("&", "&amp;")}">`,
        `  ${snippets.html}`,
        "</picture>",
      ].join("\n"),
    );
    expect(snippets.markdown).toBe(
      `![Logo](${pasteableUrl(url)}#gh-light-mode-only)\n![Logo](${pasteableUrl(dark)}#gh-dark-mode-only)`,
    );
  });
});
