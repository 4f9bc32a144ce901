import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "./log.ts";

describe("logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line per entry at or above its level, and drops the rest", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const log = logger("warn");
    log({ level: "info", message: "generated" });
    log({ level: "warn", message: "store failed" });
    log({ level: "error", message: "unhandled" });
    log({ message: "no level counts as info" });
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(["store failed", "unhandled"]);
    expect(JSON.parse(lines[0] ?? "{}").time).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    lines.length = 0;
    logger()({ level: "info", message: "kept by default" });
    expect(lines).toHaveLength(1);
  });
});
