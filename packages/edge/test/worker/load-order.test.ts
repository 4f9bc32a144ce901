// A Durable Object's isolate loads core (generation.ts) before the app: when the same isolate
// later serves a request, the app must still load. Here core is loaded first, as there.
import { parseGenerationRequest } from "@glm-image/core";
import { expect, it } from "vitest";

it("loads the app in an isolate that loaded core first", async () => {
  expect(parseGenerationRequest({ prompt: "x" }).model).toBe("glm-image");
  const [{ createApp }, { readConfig }] = await Promise.all([
    import("../../src/http/app.ts"),
    import("../../src/domain/config.ts"),
  ]);
  const app = createApp({
    config: readConfig({ API_TOKENS: "token-one" }),
    store: undefined as never,
    coordinator: undefined as never,
  });
  const document = (await (await app.request("/openapi.json")).json()) as { openapi: string };
  expect(document.openapi).toBe("3.1.0");
});
