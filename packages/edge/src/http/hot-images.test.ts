import { describe, expect, it } from "vitest";
import { HOT_ENTRY_BYTES, hotImages, throughHotImages } from "./hot-images.ts";

const key = (n: number) => n.toString(16).padStart(64, "0");
const imagePath = (n: number) => `http://edge.test/images/${key(n)}.png`;

/** An answer as the app gives a stored image: 200, immutable, its ETag, its length. */
function storedImage(n: number, bytes = 100): Response {
  return new Response(new Uint8Array(bytes).fill(n), {
    headers: {
      "content-type": "image/png",
      "content-length": String(bytes),
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${key(n)}"`,
      "x-content-type-options": "nosniff",
    },
  });
}

/** The hot images in front of an app that counts what it is asked; deferred work is awaited. */
function front(options: Parameters<typeof hotImages>[0] = {}, answer = storedImage) {
  const hot = hotImages(options);
  const asked: string[] = [];
  const deferred: Array<Promise<unknown>> = [];
  const get = async (url: string, init?: RequestInit) => {
    const request = new Request(url, init);
    const response = await throughHotImages(
      hot,
      request,
      async () => {
        asked.push(`${request.method} ${new URL(url).pathname}`);
        return answer(Number.parseInt(/([0-9a-f]{64})/.exec(url)?.[1] ?? "0", 16));
      },
      (work) => deferred.push(work),
    );
    await Promise.all(deferred.splice(0));
    return response;
  };
  return { hot, asked, get };
}

describe("hot images", () => {
  it("answers a second view from memory: the same status, headers and bytes, the app not asked", async () => {
    const { asked, get } = front();
    const first = await get(imagePath(1));
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    const second = await get(imagePath(1));
    expect(asked).toEqual([`GET /images/${key(1)}.png`]);
    expect(second.status).toBe(200);
    expect([...second.headers]).toEqual([...first.headers]);
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(firstBytes);
  });

  it("leaves to the app what depends on more than the URL: HEAD, revalidations, ranges, CORS", async () => {
    const { asked, get } = front();
    await (await get(imagePath(2))).arrayBuffer();
    const inits: RequestInit[] = [
      { method: "HEAD" },
      { headers: { "if-none-match": `"${key(2)}"` } },
      { headers: { range: "bytes=0-9" } },
      { headers: { origin: "https://example.com" } },
    ];
    for (const init of inits) {
      await (await get(imagePath(2), init)).arrayBuffer();
    }
    expect(asked).toHaveLength(5);
  });

  it("keeps only stored images' answers: not an error, a placeholder, a page or an oversized image", async () => {
    const answers: Array<() => Response> = [
      () => new Response("no", { status: 404 }),
      () => new Response("<svg/>", { headers: { "content-type": "image/svg+xml" } }),
      () => storedImage(3, HOT_ENTRY_BYTES + 1),
    ];
    for (const answer of answers) {
      const { asked, get } = front({}, answer);
      await (await get(imagePath(3))).arrayBuffer();
      await (await get(imagePath(3))).arrayBuffer();
      expect(asked).toHaveLength(2);
    }
    const { asked, get } = front();
    await (await get("http://edge.test/docs")).arrayBuffer();
    await (await get("http://edge.test/docs")).arrayBuffer();
    expect(asked).toHaveLength(2);
  });

  it("forgets an image by its ETag (a delete): its next view goes to the app", async () => {
    const { hot, asked, get } = front();
    await (await get(imagePath(4))).arrayBuffer();
    await (await get(`${imagePath(4)}?v=2`)).arrayBuffer();
    await (await get(imagePath(5))).arrayBuffer();
    hot.forget(`"${key(4)}"`);
    await (await get(imagePath(4))).arrayBuffer();
    await (await get(`${imagePath(4)}?v=2`)).arrayBuffer();
    await (await get(imagePath(5))).arrayBuffer();
    expect(asked).toHaveLength(5);
  });

  it("keeps at most maxBytes, the least recently viewed going first", async () => {
    const { asked, get } = front({ maxBytes: 250 });
    for (const n of [6, 7]) await (await get(imagePath(n))).arrayBuffer();
    await (await get(imagePath(6))).arrayBuffer(); // 6 is now the most recent
    await (await get(imagePath(8))).arrayBuffer(); // 300 bytes: 7 goes
    asked.length = 0;
    for (const n of [6, 8, 7]) await (await get(imagePath(n))).arrayBuffer();
    expect(asked).toEqual([`GET /images/${key(7)}.png`]);
  });

  it("reads an answer through the app again once it is ttlMs old", async () => {
    let now = 0;
    const { asked, get } = front({ ttlMs: 1000, now: () => now });
    await (await get(imagePath(9))).arrayBuffer();
    now = 999;
    await (await get(imagePath(9))).arrayBuffer();
    now = 1000;
    await (await get(imagePath(9))).arrayBuffer();
    expect(asked).toHaveLength(2);
  });
});
