import { env } from "cloudflare:test";
import { contentKey, parseGenerationRequest } from "@glm-image/core";
import { paidGenerations } from "@glm-image/testkit/mock-state";
import { expect, it } from "vitest";
import { freshPrompt } from "../../test/contract.ts";
import { r2Bucket } from "../adapters/cloudflare/r2-bucket.ts";
import { bucketBudget, bucketJournal } from "../adapters/deno/bucket-coordination.ts";
import { readConfig } from "./config.ts";
import { imageStore } from "./image-store.ts";
import { produceImage } from "./produce-image.ts";

it("gives a task up TASK_GIVE_UP_SECONDS after it was submitted: journaled, an error from then on, never paid again, the budget kept", async () => {
  const bucket = r2Bucket(env.IMAGES);
  const journal = bucketJournal(bucket);
  const budget = bucketBudget(bucket);
  // A clock that the waits between polls move on: a minute of polling takes no time.
  let clock = Date.parse("2031-01-01T00:00:00Z");
  const deps = {
    store: imageStore(bucket),
    journal,
    budget,
    config: readConfig({
      ZHIPU_API_KEY: "test-key",
      ZHIPU_BASE_URL: env.ZHIPU_BASE_URL,
      MAX_GENERATIONS_PER_DAY: "2",
      TASK_GIVE_UP_SECONDS: "60",
    }),
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
  const request = parseGenerationRequest({ prompt: freshPrompt("[mock:slow-task=3600000] never") });
  const key = await contentKey(request);
  const before = await paidGenerations(env.MOCK_ORIGIN);

  const first = await produceImage({ key, request }, deps);
  expect(first).toMatchObject({ ok: false, error: { code: "upstream_error", retryable: false } });
  const message = first.ok ? "" : first.error.message;
  expect(message).toMatch(/^ZhiPu never finished task \S+ \(submitted 2031-01-01T00:00:00\.000Z\)/);
  expect(message).toMatch(/given up after 60 s .* may have been charged/);
  expect(await journal.get(key)).toMatchObject({
    state: "given_up",
    since: Date.parse("2031-01-01"),
  });
  expect(await paidGenerations(env.MOCK_ORIGIN)).toBe(before + 1);

  clock += 3_600_000;
  const later = await produceImage({ key, request }, deps);
  expect(later).toEqual(first);
  expect(await paidGenerations(env.MOCK_ORIGIN)).toBe(before + 1);
  // The budget keeps the given-up task (it may have been charged): one of the 2 is left.
  expect(await budget.take("2031-01-01", 2)).toBe(true);
  expect(await budget.take("2031-01-01", 2)).toBe(false);
});
