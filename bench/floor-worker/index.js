// The cache-miss floor for figure 3: the platform calls a generation needs, with no framework
// around them. One Durable Object call per request, holding the same journal writes as the edge
// (pending, submitted, paid, deleted); in it the same upstream calls (async submit, polls, the
// download); then an R2 head and an R2 put of the same bytes. No validation, no single flight
// beyond the object itself, no error handling: a floor, not a service.
import { DurableObject } from "cloudflare:workers";

export class Floor extends DurableObject {
  async generate(prompt) {
    const base = this.env.ZHIPU_BASE_URL;
    const headers = {
      authorization: `Bearer ${this.env.ZHIPU_API_KEY}`,
      "content-type": "application/json",
    };
    const storage = this.ctx.storage;
    await storage.put("journal", { state: "pending", since: Date.now() });
    const task = await (
      await fetch(`${base}/async/images/generations`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: "glm-image", prompt, size: "1280x1280", quality: "hd" }),
      })
    ).json();
    await storage.put("journal", { state: "submitted", since: Date.now(), task_id: task.id });
    let result;
    do {
      result = await (await fetch(`${base}/async-result/${task.id}`, { headers })).json();
    } while (result.task_status === "PROCESSING");
    const url = result.image_result[0].url;
    await storage.put("journal", { state: "paid", since: Date.now(), url, attempts: 0 });
    const key = `floor/${crypto.randomUUID()}`;
    await this.env.IMAGES.head(key);
    const image = await fetch(url);
    const length = Number(image.headers.get("content-length"));
    await this.env.IMAGES.put(key, image.body.pipeThrough(new FixedLengthStream(length)), {
      httpMetadata: { contentType: "image/png" },
    });
    await storage.delete("journal");
    return key;
  }
}

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("floor");
    const { prompt } = await request.json();
    const stub = env.FLOOR.get(env.FLOOR.idFromName(prompt));
    return Response.json({ key: await stub.generate(prompt) });
  },
};
