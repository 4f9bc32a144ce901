// The server through the SDK's own Client, over an in-memory transport pair, in both protocol
// eras the SDK serves (2025 `initialize`, 2026-07-28 per-request envelope), against a real small
// ImageService that generates through core and the mock ZhiPu server.
import {
  modelRules,
  PRICES_AS_OF,
  parseGenerationRequest,
  prices,
  verifyRenderSignature,
} from "@glm-image/core";
import type { MockServer } from "@glm-image/mock";
import type { CallToolResult } from "@modelcontextprotocol/client";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { type Connected, connect, eras } from "../test/connect.ts";
import type { MemoryImageService } from "../test/memory-image-service.ts";
import { useMockService } from "../test/mock-service.ts";
import {
  deleteOutputSchema,
  embedOutputSchema,
  estimateOutputSchema,
  generateOutputSchema,
  listOutputSchema,
  storedImageSchema,
} from "./schemas.ts";

const toolErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), param: z.string().optional() }).loose(),
});

const freshMockService = useMockService();

describe.each(eras)("the glm-image MCP server (%s era)", (era) => {
  let mock: MockServer;
  let service: MemoryImageService;
  let session: Connected;
  beforeEach(async () => {
    ({ mock, service } = freshMockService());
    session = await connect(service, { era, progressIntervalMs: 50 });
  });
  afterEach(() => session.close());

  const call = (name: string, args: Record<string, unknown> = {}) =>
    session.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const structured = <Schema extends z.ZodType>(schema: Schema, result: CallToolResult) =>
    schema.parse(result.structuredContent);
  const errorOf = (result: CallToolResult) => {
    expect(result.isError).toBe(true);
    // Clients built on the 1.x SDK check any structuredContent against the success schema.
    expect(result).not.toHaveProperty("structuredContent");
    expect(result.content).toHaveLength(1);
    return toolErrorSchema.parse(JSON.parse((result.content[0] as { text: string }).text)).error;
  };
  const generated = async (prompt: string, extra: Record<string, unknown> = {}) => {
    const result = await call("generate_image", { prompt, ...extra });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    return result;
  };

  it("introduces itself: name, version, instructions, and lists that never change", () => {
    expect(session.client.getServerVersion()).toMatchObject({
      name: "glm-image",
      version: "0.0.0-test",
    });
    expect(session.client.getInstructions()).toMatch(/permanent URLs/);
    expect(session.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: false },
      prompts: { listChanged: false },
      resources: { listChanged: false },
    });
  });

  describe("tools/list", () => {
    it("lists the six tools with titles, schemas and all four annotations", async () => {
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        "delete_image",
        "embed_image",
        "estimate_cost",
        "generate_image",
        "get_image",
        "list_images",
      ]);
      for (const tool of tools) {
        expect(tool.title, tool.name).toBeTruthy();
        expect(tool.description?.length, tool.name).toBeGreaterThan(40);
        expect(tool.inputSchema.type).toBe("object");
        expect(tool.outputSchema?.type, tool.name).toBe("object");
        expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual([
          "destructiveHint",
          "idempotentHint",
          "openWorldHint",
          "readOnlyHint",
          "title",
        ]);
      }
    });

    it("advertises the request fields, and which are required", async () => {
      const { tools } = await session.client.listTools();
      const generate = tools.find((tool) => tool.name === "generate_image");
      expect(Object.keys(generate?.inputSchema.properties ?? {}).sort()).toEqual([
        "include_image",
        "model",
        "prompt",
        "quality",
        "size",
        "user_id",
        "watermark",
      ]);
      expect(generate?.inputSchema.required).toEqual(["prompt"]);
      expect(generate?.inputSchema.properties?.model).toMatchObject({
        enum: Object.keys(modelRules),
      });
      expect(Object.keys(generate?.outputSchema?.properties ?? {})).toEqual(
        expect.arrayContaining([
          "url",
          "model",
          "size",
          "quality",
          "content_filter",
          "cost",
          "cached",
        ]),
      );
    });

    it("tells the truth in the annotations", async () => {
      const { tools } = await session.client.listTools();
      const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
      expect(hints.generate_image).toMatchObject({ readOnlyHint: false, openWorldHint: true });
      for (const name of ["estimate_cost", "list_images", "get_image"]) {
        expect(hints[name], name).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      }
      expect(hints.delete_image).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      expect(hints.embed_image).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    });
  });

  describe("generate_image", () => {
    it("answers a link to the kept image and what was made, without the image", async () => {
      const result = await generated("A lighthouse at dawn, watercolor", { size: "1568×1056" });
      const image = structured(generateOutputSchema, result);
      expect(image).toMatchObject({
        model: "glm-image",
        size: "1568x1056",
        quality: "hd",
        content_filter: [],
        cached: false,
        cost: prices["glm-image"],
        content_type: "image/png",
      });
      expect(image.url).toBe(`https://images.example.com/images/${image.key}.png`);
      expect(result.content.map((block) => block.type)).toEqual(["text", "resource_link"]);
      expect(result.content[1]).toMatchObject({
        type: "resource_link",
        uri: image.url,
        mimeType: "image/png",
        name: `${image.key}.png`,
      });
      expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(image);
      expect(mock.generations).toBe(1);
    });

    it("answers the same request again from what is kept: cached, free, not paid again", async () => {
      const first = structured(generateOutputSchema, await generated("A red kite over hills"));
      const again = structured(
        generateOutputSchema,
        await generated("  A red kite over hills  ", { size: "1280x1280" }),
      );
      expect(again).toMatchObject({ key: first.key, url: first.url, cached: true });
      expect(again.cost).toEqual({ cny: 0, usd: 0 });
      expect(mock.generations).toBe(1);
    });

    it("includes the image itself only when asked, as one image block of the kept bytes", async () => {
      const result = await generated("A small blue square", { include_image: true });
      expect(result.content.map((block) => block.type)).toEqual(["text", "resource_link", "image"]);
      const block = result.content[2] as { data: string; mimeType: string };
      expect(block.mimeType).toBe("image/png");
      const bytes = Buffer.from(block.data, "base64");
      expect(bytes.length).toBe(structured(generateOutputSchema, result).bytes);
      expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    });

    it("sends a PNG over 1 MiB as a smaller copy within 1 MiB, and says so", async () => {
      const result = await generated("A huge noisy texture [mock:large=2]", {
        include_image: true,
      });
      const image = structured(generateOutputSchema, result);
      expect(image.bytes).toBeGreaterThan(1024 * 1024);
      expect(result.content.map((block) => block.type)).toEqual([
        "text",
        "resource_link",
        "text",
        "image",
      ]);
      const { width, height } = await sharp(await service.readImage(image)).metadata();
      expect((result.content[2] as { text: string }).text).toMatch(
        new RegExp(
          `^A smaller copy, (\\d+)x(\\d+) of ${width}x${height}, to fit the 1\\.0 MiB sent inline: the full image is at its url\\.$`,
        ),
      );
      const copy = Buffer.from((result.content[3] as { data: string }).data, "base64");
      expect(copy.length).toBeLessThanOrEqual(1024 * 1024);
      const metadata = await sharp(copy).metadata();
      expect(metadata.format).toBe("png");
      expect(metadata.width).toBeLessThanOrEqual((width ?? 0) / 2);
    });

    it("sends no image at all when the face set maxImageBytes to 0", async () => {
      await session.close();
      session = await connect(service, { era, maxImageBytes: 0 });
      const result = await generated("A small green square", { include_image: true });
      expect(result.content.slice(2)).toEqual([
        { type: "text", text: "This server sends no image inline: open it from its url." },
      ]);
    });

    it("does not read an image too large to downscale, and says so", async () => {
      const result = await generated("An enormous texture [mock:large=17]", {
        include_image: true,
      });
      expect(result.content.map((block) => block.type)).toEqual(["text", "resource_link", "text"]);
      expect((result.content[2] as { text: string }).text).toMatch(
        /^The image is 17\.\d MiB, more than the 1\.0 MiB sent inline, so it is not included: open it from its url\.$/,
      );
    });

    it("sends progress notifications while the service works, when the client asks", async () => {
      const updates: Array<{ progress: number; message?: string }> = [];
      const result = (await session.client.callTool(
        { name: "generate_image", arguments: { prompt: "A slow sunrise [mock:slow=400]" } },
        { onprogress: (progress) => updates.push(progress) },
      )) as CallToolResult;
      expect(result.isError).toBeFalsy();
      // One at once, one per step of the service, heartbeats in between.
      expect(updates.length).toBeGreaterThanOrEqual(3);
      const counts = updates.map((update) => update.progress);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(new Set(counts).size).toBe(counts.length);
      const messages = updates.map((update) => update.message);
      expect(messages[0]).toBe("Generating a 1280x1280 image with glm-image");
      expect(messages).toContain("Asking ZhiPu");
      expect(messages).toContain("Downloading");
    });

    it("sends no progress notification when the client did not ask", async () => {
      await generated("A slow moonrise [mock:slow=200]");
      const progress = session.sent.filter(
        (message) => "method" in message && message.method === "notifications/progress",
      );
      expect(progress).toEqual([]);
    });

    it("passes the client's cancellation to the service", async () => {
      const controller = new AbortController();
      const pending = session.client.callTool(
        { name: "generate_image", arguments: { prompt: "Never ready [mock:hang]" } },
        { signal: controller.signal },
      );
      await vi.waitFor(() => expect(service.generateSignals).toHaveLength(1));
      const signal = service.generateSignals[0];
      expect(signal?.aborted).toBe(false);
      controller.abort("the user pressed stop");
      await expect(pending).rejects.toThrow();
      await vi.waitFor(() => expect(signal?.aborted).toBe(true));
      expect(mock.generations).toBe(0);
    });

    it("answers the upstream's refusal as a tool error with its code", async () => {
      const error = errorOf(
        await call("generate_image", { prompt: "Refused [mock:content-filter]" }),
      );
      expect(error.code).toBe("content_filter_violation");
      expect(error.message).toMatch(/rephrase|safety|filter/i);
    });
  });

  describe("bad input is a tool error with the contract's code, never a protocol error", () => {
    it.each([
      [{ prompt: "A cat", size: "999x999" }, "INVALID_SIZE", "size"],
      [{ prompt: "A cat", size: 1280 }, "INVALID_SIZE", "size"],
      [{ prompt: "   " }, "INVALID_PROMPT", "prompt"],
      [{ prompt: "x".repeat(1001) }, "INVALID_PROMPT", "prompt"],
      [{}, "INVALID_PROMPT", "prompt"],
      [{ prompt: "A cat", model: "dall-e-3" }, "INVALID_MODEL", "model"],
      [{ prompt: "A cat", quality: "standard" }, "INVALID_QUALITY", "quality"],
      [{ prompt: "A cat", quality: "ultra" }, "INVALID_QUALITY", "quality"],
      [{ prompt: "A cat", user_id: "abc" }, "INVALID_USER_ID", "user_id"],
      [{ prompt: "A cat", watermark: "no" }, "invalid_request", "watermark"],
      [{ prompt: "A cat", include_image: "yes" }, "invalid_request", "include_image"],
    ])("generate_image %j: %s", async (args, code, param) => {
      const error = errorOf(await call("generate_image", args));
      expect(error).toMatchObject({ code, param });
      expect(error.message.length).toBeGreaterThan(10);
      expect(mock.requests).toEqual([]);
    });

    it.each([
      ["list_images", { limit: 0 }, "invalid_request", "limit must be 1 to 100"],
      ["list_images", { limit: 2.5 }, "invalid_request", "limit must be a whole number"],
      ["get_image", {}, "invalid_request", "key is required"],
      ["delete_image", { key: 7 }, "invalid_request", "key must be a string"],
      [
        "embed_image",
        { prompt: "A cat", dark_prompt: " " },
        "INVALID_PROMPT",
        "prompt must not be empty",
      ],
      [
        "estimate_cost",
        { requests: [] },
        "invalid_request",
        "requests must list at least one request",
      ],
    ])("%s %j: %s", async (name, args, code, message) => {
      const error = errorOf(await call(name, args));
      expect(error).toMatchObject({ code, message });
    });
  });

  describe("estimate_cost", () => {
    it("plans one request and prices it, paying nothing", async () => {
      const plan = structured(
        estimateOutputSchema,
        await call("estimate_cost", { prompt: "A fox", model: "cogview-4" }),
      );
      expect(plan).toEqual({
        images: [
          {
            prompt: "A fox",
            model: "cogview-4",
            size: "1024x1024",
            quality: "standard",
            cached: false,
            cost: prices["cogview-4"],
          },
        ],
        planned: 1,
        cached: 0,
        cost: prices["cogview-4"],
        prices_as_of: PRICES_AS_OF,
      });
      expect(mock.requests).toEqual([]);
    });

    it("plans a manifest's requests: kept ones cost nothing, paths come back", async () => {
      await generated("A lighthouse", { size: "1728x960" });
      const plan = structured(
        estimateOutputSchema,
        await call("estimate_cost", {
          requests: [
            { path: "docs/hero.png", prompt: "A lighthouse", size: "1728x960" },
            { path: "docs/icon.png", prompt: "A lighthouse icon" },
            { prompt: "A free sketch", model: "cogview-3-flash" },
          ],
        }),
      );
      expect(
        plan.images.map((image: { path?: string; cached: boolean }) => [image.path, image.cached]),
      ).toEqual([
        ["docs/hero.png", true],
        ["docs/icon.png", false],
        [undefined, false],
      ]);
      expect(plan).toMatchObject({ planned: 2, cached: 1, cost: prices["glm-image"] });
      expect(mock.generations).toBe(1);
    });

    it("names the request at fault", async () => {
      const error = errorOf(
        await call("estimate_cost", {
          requests: [{ prompt: "Fine" }, { prompt: "Too small", size: "64x64" }],
        }),
      );
      expect(error.code).toBe("INVALID_SIZE");
      expect(error.message).toMatch(/^requests\[1\]: Invalid size: 64x64 for model glm-image/);
      expect(error.param).toBe("requests[1].size");
    });

    it("takes one request or a list, not both", async () => {
      const error = errorOf(
        await call("estimate_cost", { prompt: "A", requests: [{ prompt: "B" }] }),
      );
      expect(error.code).toBe("invalid_request");
    });
  });

  describe("the kept images", () => {
    it("lists them newest first, a page at a time", async () => {
      for (const prompt of ["One", "Two", "Three"]) await generated(prompt);
      const first = structured(listOutputSchema, await call("list_images", { limit: 2 }));
      expect(first.images.map((image: { prompt: string }) => image.prompt)).toEqual([
        "Three",
        "Two",
      ]);
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = structured(
        listOutputSchema,
        await call("list_images", { limit: 2, cursor: first.next_cursor }),
      );
      expect(second.images.map((image: { prompt: string }) => image.prompt)).toEqual(["One"]);
      expect(second).not.toHaveProperty("next_cursor");
    });

    it("gets one by its key, with a link", async () => {
      const made = structured(generateOutputSchema, await generated("A teapot"));
      const result = await call("get_image", { key: made.key });
      const { cached: _cached, cost: _cost, warnings: _warnings, ...image } = made;
      expect(structured(storedImageSchema, result)).toEqual(image);
      expect(result.content[1]).toMatchObject({ type: "resource_link", uri: made.url });
    });

    it("deletes one; then it is not found", async () => {
      const made = structured(generateOutputSchema, await generated("A paper boat"));
      expect(structured(deleteOutputSchema, await call("delete_image", { key: made.key }))).toEqual(
        {
          key: made.key,
          deleted: true,
        },
      );
      expect(errorOf(await call("get_image", { key: made.key })).code).toBe("not_found");
      expect(errorOf(await call("delete_image", { key: made.key })).code).toBe("not_found");
    });
  });

  describe("embed_image", () => {
    const signedParams = (url: string) => Object.fromEntries(new URL(url).searchParams);

    it("gives Markdown, an <img> and a <picture> around the signed render URL", async () => {
      const embed = structured(
        embedOutputSchema,
        await call("embed_image", { prompt: 'A banner (wide), with "quotes"', size: "1728x960" }),
      );
      const { sig, ...params } = signedParams(embed.url);
      expect(params).toEqual({
        prompt: 'A banner (wide), with "quotes"',
        model: "glm-image",
        size: "1728x960",
        quality: "hd",
      });
      expect(await verifyRenderSignature(params, sig ?? "", "test-signing-secret")).toBe(true);
      const markdownUrl = /^!\[[^\]]*\]\(([^)\s]+)\)$/.exec(embed.markdown)?.[1];
      expect(markdownUrl && signedParams(markdownUrl)).toEqual(signedParams(embed.url));
      expect(embed.html).toMatch(
        /^<img src="[^"]+" alt="A banner \(wide\), with &quot;quotes&quot;">$/,
      );
      expect(embed.picture).toBe(`<picture>\n  ${embed.html}\n</picture>`);
    });

    it("adds a dark variant: a <source> for dark mode, GitHub's fragments in Markdown", async () => {
      const embed = structured(
        embedOutputSchema,
        await call("embed_image", {
          prompt: "A logo on white",
          dark_prompt: "A logo on black",
          alt: "The logo",
        }),
      );
      expect(signedParams(embed.dark_url ?? "").prompt).toBe("A logo on black");
      expect(embed.picture).toContain('<source media="(prefers-color-scheme: dark)" srcset="');
      expect(embed.markdown.split("\n")).toEqual([
        expect.stringMatching(/^!\[The logo\]\(.+#gh-light-mode-only\)$/),
        expect.stringMatching(/^!\[The logo\]\(.+#gh-dark-mode-only\)$/),
      ]);
    });
  });

  describe("the readme_banner prompt", () => {
    it("is listed with its arguments", async () => {
      const { prompts } = await session.client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).toEqual(["readme_banner"]);
      expect(prompts[0]?.arguments?.map((argument) => [argument.name, argument.required])).toEqual([
        ["project", true],
        ["tagline", false],
        ["theme", false],
      ]);
    });

    it("quotes the exact words, names the layout and picks a wide size", async () => {
      const { messages } = await session.client.getPrompt({
        name: "readme_banner",
        arguments: { project: "glm-image", tagline: "Prompts to images, kept forever" },
      });
      const content = messages[0]?.content;
      const text = content?.type === "text" ? content.text : "";
      expect(text).toMatch(/quote the exact words/i);
      expect(text).toMatch(/name the layout/i);
      const callLine = text.split("\n").find((line) => line.startsWith("{"));
      const request = parseGenerationRequest(JSON.parse(callLine ?? "{}"));
      expect(request.size).toBe("1728x960");
      expect(request.prompt).toContain('the title "glm-image"');
      expect(request.prompt).toContain('the tagline "Prompts to images, kept forever"');
    });
  });

  describe("resources", () => {
    it("serves the sizes per model and the prices, from core's tables", async () => {
      const { resources } = await session.client.listResources();
      expect(resources.map((resource) => resource.uri).sort()).toEqual([
        "glm-image://prices",
        "glm-image://sizes",
      ]);
      const read = async (uri: string) => {
        const { contents } = await session.client.readResource({ uri });
        expect(contents[0]?.mimeType).toBe("application/json");
        return JSON.parse((contents[0] as { text: string }).text);
      };
      const sizes = await read("glm-image://sizes");
      expect(sizes.models["glm-image"].recommended_sizes).toEqual(
        modelRules["glm-image"].recommendedSizes,
      );
      expect(sizes.models["cogview-4"].default_quality).toBe("standard");
      const table = await read("glm-image://prices");
      expect(table).toMatchObject({ as_of: PRICES_AS_OF, per_image: prices });
    });
  });
});
