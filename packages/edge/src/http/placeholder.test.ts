import { describe, expect, it } from "vitest";
import { placeholderSvg } from "./placeholder.ts";

describe("placeholderSvg", () => {
  it("is an SVG of the requested size that says what happened and when to reload", () => {
    const svg = placeholderSvg(1568, 1056, 429, "Too many new images from this client", "7");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1568" height="1056"/);
    expect(svg).toContain("Too many new images right now");
    expect(svg).toContain("Reload in 7 s");
  });

  it("escapes what it quotes: a message never becomes markup", () => {
    const svg = placeholderSvg(1024, 1024, 400, 'Invalid size: <script>alert("x")</script> & more');
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
  });

  it("wraps a long message into a few lines", () => {
    const svg = placeholderSvg(1024, 1024, 502, "word ".repeat(200));
    const lines = svg.match(/<text /g) ?? [];
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(svg).toContain("…");
  });
});
