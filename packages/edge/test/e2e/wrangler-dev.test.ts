import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { freePort, paidGenerations, type Service, startWranglerDev } from "@glm-image/testkit";
import { generateImage } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { defineContractTests, freshPrompt } from "../contract.ts";
import { contractSettings } from "../contract-settings.ts";
import { defineMcpTests } from "../mcp-contract.ts";
import { defineTenantTests } from "../tenant-contract.ts";

const generations = () => paidGenerations(inject("mockOrigin"));
/**
 * The AI SDK's and the stream's tests use carol's token: the contract's two tokens each have a
 * budget of 60 requests a minute that the contract itself nearly spends.
 */
const CAROL = "token-carol";

let state: string;
let port: number;
let service: Service;

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "glm-image-wrangler-"));
  port = await freePort();
  service = await startWranglerDev(port, state, inject("mockBaseUrl"), contractSettings);
});
afterAll(() => service?.stop());

describe("wrangler dev", () => {
  it("serves the official openai client: url and b64_json", async () => {
    const client = new OpenAI({
      apiKey: "token-one",
      baseURL: `${service.origin}/v1`,
      maxRetries: 0,
    });
    const prompt = freshPrompt("openai client");
    const byUrl = await client.images.generate({
      model: "glm-image",
      prompt,
      response_format: "url",
    });
    const url = byUrl.data?.[0]?.url ?? "";
    expect(url).toMatch(new RegExp(`^${service.origin}/images/[0-9a-f]{64}\\.png$`));
    const byBase64 = await client.images.generate({
      model: "glm-image",
      prompt,
      response_format: "b64_json",
    });
    const bytes = Buffer.from(byBase64.data?.[0]?.b64_json ?? "", "base64");
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.equals(Buffer.from(await (await fetch(url)).arrayBuffer()))).toBe(true);

    const refused = client.images.generate({
      model: "glm-image",
      prompt,
      size: "1000x1000" as "1024x1024",
    });
    await expect(refused).rejects.toMatchObject({ status: 400, code: "INVALID_SIZE" });
  });

  it("serves the AI SDK's OpenAI provider (dall-e-3, gpt-image-1 with n: 2) and its OpenAI-compatible one, paid once each", async () => {
    const before = await generations();
    const pngs = (images: ReadonlyArray<{ mediaType: string; uint8Array: Uint8Array }>) =>
      images.map((image) => [
        image.mediaType,
        Buffer.from(image.uint8Array).subarray(1, 4).toString(),
      ]);
    const openai = createOpenAI({ apiKey: CAROL, baseURL: `${service.origin}/v1` });
    const wide = await generateImage({
      model: openai.image("dall-e-3"),
      prompt: freshPrompt("ai sdk dall-e-3"),
      size: "1792x1024",
    });
    expect(pngs(wide.images)).toEqual([["image/png", "PNG"]]);

    const prompt = freshPrompt("ai sdk gpt-image-1");
    const two = { model: openai.image("gpt-image-1"), prompt, size: "1536x1024", n: 2 } as const;
    expect(pngs((await generateImage(two)).images)).toEqual([
      ["image/png", "PNG"],
      ["image/png", "PNG"],
    ]);

    const compatible = createOpenAICompatible({
      name: "glm-image",
      apiKey: CAROL,
      baseURL: `${service.origin}/v1`,
    });
    const third = await generateImage({
      model: compatible.imageModel("cogview-4"),
      prompt: freshPrompt("ai sdk openai-compatible"),
      size: "1024x1024",
    });
    expect(pngs(third.images)).toEqual([["image/png", "PNG"]]);
    // The same request again: kept, nothing more paid.
    await generateImage(two);
    expect(await generations()).toBe(before + 4);
  });

  it("streams through the official openai client: one image_generation.completed with the image, paid once", async () => {
    const client = new OpenAI({
      apiKey: CAROL,
      baseURL: `${service.origin}/v1`,
      maxRetries: 0,
    });
    const before = await generations();
    const stream = await client.images.generate({
      model: "gpt-image-1",
      prompt: freshPrompt("openai client stream"),
      stream: true,
    });
    const events: Array<{ type: string; b64_json: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(["image_generation.completed"]);
    expect(
      Buffer.from(events[0]?.b64_json ?? "", "base64")
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    expect(await generations()).toBe(before + 1);
  });

  it("serves the official openai client with its defaults", async () => {
    const client = new OpenAI({ apiKey: "token-one", baseURL: `${service.origin}/v1` });
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain("glm-image");
    const before = await generations();
    const asked = [
      { model: "dall-e-3" },
      { model: "gpt-image-1" },
      {},
      { model: "dall-e-3", size: "1536x1024" },
      { model: "dall-e-3", quality: "standard" },
    ] as const;
    for (const fields of asked) {
      const answer = await client.images.generate({ prompt: freshPrompt("defaults"), ...fields });
      if ("model" in fields && fields.model === "gpt-image-1") {
        // As OpenAI's GPT image models: the bytes, by default.
        expect(
          Buffer.from(answer.data?.[0]?.b64_json ?? "", "base64")
            .subarray(1, 4)
            .toString(),
        ).toBe("PNG");
      } else {
        expect(answer.data?.[0]?.url).toMatch(/\/images\/[0-9a-f]{64}\.png$/);
      }
    }
    const two = await client.images.generate({ prompt: freshPrompt("two"), n: 2 });
    const urls = two.data?.map((image) => image.url) ?? [];
    expect(new Set(urls).size).toBe(2);
    for (const url of urls) expect((await fetch(url ?? "")).status).toBe(200);
    expect(await generations()).toBe(before + asked.length + 2);
  });

  it("keeps an image across a restart: served from local R2, never generated again", async () => {
    const response = await fetch(`${service.origin}/v1/images/generations`, {
      method: "POST",
      headers: { authorization: "Bearer token-one", "content-type": "application/json" },
      body: JSON.stringify({ prompt: freshPrompt("persist me") }),
    });
    const url = ((await response.json()) as { data: Array<{ url: string }> }).data[0]?.url ?? "";
    const before = Buffer.from(await (await fetch(url)).arrayBuffer());
    const count = await generations();

    await service.stop();
    service = await startWranglerDev(port, state, inject("mockBaseUrl"), contractSettings);

    const after = await fetch(url);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer()).equals(before)).toBe(true);
    expect(await generations()).toBe(count);
  });
});

const target = () => ({
  fetch: (path: string, init?: RequestInit) => fetch(`${service.origin}${path}`, init),
  origin: service.origin,
  mockOrigin: inject("mockOrigin"),
  token: "token-two",
  output: () => service.output(),
});
defineContractTests("wrangler dev", target);
defineTenantTests("wrangler dev", target);
defineMcpTests("wrangler dev", target);
