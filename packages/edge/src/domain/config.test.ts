import { expect, it } from "vitest";
import { readConfig } from "./config.ts";

it("waits 120 s for a POST, 20 s for a /render, and gives a task up after 30 minutes, by default", () => {
  expect(readConfig({})).toMatchObject({
    REQUEST_WAIT_SECONDS: 120,
    RENDER_WAIT_SECONDS: 20,
    TASK_GIVE_UP_SECONDS: 1800,
  });
  expect(readConfig({ REQUEST_WAIT_SECONDS: "", RENDER_WAIT_SECONDS: "5" })).toMatchObject({
    REQUEST_WAIT_SECONDS: 120,
    RENDER_WAIT_SECONDS: 5,
  });
});

it.each(["0", "-1", "1.5", "soon"])(
  "refuses REQUEST_WAIT_SECONDS=%s, naming the setting",
  (value) => {
    expect(() => readConfig({ REQUEST_WAIT_SECONDS: value })).toThrow(
      "Invalid settings: REQUEST_WAIT_SECONDS: REQUEST_WAIT_SECONDS must be a whole number of seconds above 0",
    );
  },
);
