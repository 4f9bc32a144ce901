import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as z from "zod";
import { issueMessage } from "./issue-message.ts";

const messagesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  assert.equal(result.success, false);
  return result.success ? [] : result.error.issues.map(issueMessage);
};

describe("issueMessage", () => {
  const body = z.object({
    response_format: z.enum(["url", "b64_json"]).optional(),
    n: z.number().int().optional(),
    name: z.string().max(3).optional(),
    custom: z
      .string()
      .refine((text) => text === "ok", "custom must be ok")
      .optional(),
    prompt: z.string(),
  });

  it("writes zod's own messages in the house style, field first", () => {
    assert.deepEqual(messagesOf(body, { prompt: "x", response_format: "png" }), [
      "response_format must be one of: url, b64_json",
    ]);
    assert.deepEqual(messagesOf(body, { prompt: "x", n: "2" }), ["n must be a number"]);
    assert.deepEqual(messagesOf(body, { prompt: "x", n: 1.5 }), ["n must be an integer"]);
    assert.deepEqual(messagesOf(body, { prompt: "x", name: "long" }), [
      "name must be at most 3 characters",
    ]);
    assert.deepEqual(messagesOf(body, {}), ["prompt is required"]);
    assert.deepEqual(messagesOf(body, "text"), ["body must be an object"]);
  });

  it("keeps a schema's own message", () => {
    assert.deepEqual(messagesOf(body, { prompt: "x", custom: "no" }), ["custom must be ok"]);
  });
});
