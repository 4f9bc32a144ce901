import { describe, expect, it } from "vitest";
import { commentBody } from "./outcome-report.ts";
import type { ReportRow } from "./report.ts";

describe("commentBody", () => {
  it("stays under GitHub's comment limit, saying where the other images are", () => {
    const rows: ReportRow[] = Array.from({ length: 400 }, (_, index) => ({
      path: `images/${index}.png`,
      prompt: "p".repeat(1000),
      model: "glm-image",
      size: "1280x1280",
      status: "generated",
      preview: `https://example.com/${index}.png`,
    }));
    const totals = {
      generated: 400,
      skipped: 0,
      failed: 0,
      planned: 400,
      cost: { cny: 40, usd: 6 },
    };
    const body = commentBody(rows, totals, []);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/\n\d+ more images are in the job summary\./);
    expect(body).toContain("<code>images/0.png</code>");
    expect(commentBody(rows.slice(0, 3), totals, [])).not.toContain("more images");
  });
});
