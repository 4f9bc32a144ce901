import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GlmImageError } from "./errors.ts";
import { generateImage } from "./generate.ts";
import { submitImageTask } from "./generate-async.ts";
import { callApi } from "./http.ts";
import { failure } from "./test-support/failure.ts";

// Paid POSTs against a fetch that answers as a faulty network or upstream would: sent again only
// after an answer that proves it was not charged; polls (GET) after any failure that may pass.

const apiKey = "sk-secret-key-0123456789";
const noWait = async () => {};

/** A fetch that plays its answers in turn (the last one again) and counts its calls. */
function scripted(...answers: Array<() => Response | Promise<Response>>) {
  const calls: string[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${String(url)}`);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    return (answer as () => Response | Promise<Response>)();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
const image = () => json(200, { created: 1, data: [{ url: "https://cdn.example/a.png" }] });

/** A body whose first bytes arrive, then the connection fails (the shape on every runtime). */
const cutShort =
  (text: string, headers: Record<string, string> = {}) =>
  () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) {
          controller.error(new TypeError("terminated", { cause: { code: "UND_ERR_SOCKET" } }));
          return;
        }
        sent = true;
        controller.enqueue(new TextEncoder().encode(text));
      },
    });
    return new Response(body, { status: 200, headers });
  };

/** What a runtime throws from fetch: Node's undici, Deno and workerd each their own way. */
const undici = (code: string) => () => {
  throw new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
};
const deno = (message: string) => () => {
  throw new TypeError("fetch failed", { cause: new Error(message) });
};
const workerd = (message: string) => () => {
  throw new Error(message);
};

const generate = (fetch: typeof globalThis.fetch, extra: Record<string, unknown> = {}) =>
  generateImage({ prompt: "a cat" }, { apiKey, fetch, sleep: noWait, ...extra });

function assertFinal(error: GlmImageError, code: string) {
  assert.equal(error.code, code);
  assert.equal(error.retryable, false);
  assert.equal(error.mayHaveCharged, true);
  assert.match(error.message, /may have (accepted it and )?charged/);
  assert.equal(error.toJSON().may_have_charged, true);
  assert.equal(JSON.stringify(error.toJSON()).includes(apiKey), false);
}

describe("a paid POST is final once the upstream may have accepted it", () => {
  it("a 2xx whose body is cut short: one call, the request id kept", async () => {
    const upstream = scripted(
      cutShort('{"created": 1, "data": [{"url": ', { "x-request-id": "r-1" }),
    );
    const error = await failure(generate(upstream.fetch));
    assertFinal(error, "upstream_error");
    assert.equal(error.requestId, "r-1");
    assert.match(error.message, /^The answer from open\.bigmodel\.cn was cut short/);
    assert.equal(upstream.calls.length, 1);
  });

  it("a 2xx that is not JSON, or of another shape, or without an image: one call each", async () => {
    for (const answer of [
      () => new Response("<html>oops</html>", { status: 200 }),
      () => json(200, { created: "yesterday", request_id: "r-2" }),
      () => json(200, { created: 1, data: [], request_id: "r-3" }),
    ]) {
      const upstream = scripted(answer, image);
      assertFinal(await failure(generate(upstream.fetch)), "upstream_error");
      assert.equal(upstream.calls.length, 1);
    }
    const empty = await failure(
      generate(scripted(() => json(200, { data: [], request_id: "r-3" })).fetch),
    );
    assert.equal(empty.requestId, "r-3");
  });

  it("a task submission cut short: its task id kept when it was whole", async () => {
    const upstream = scripted(cutShort('{"id": "task-7", "request_id": "r-4", "task_status": '));
    const error = await failure(
      submitImageTask({ prompt: "a cat" }, { apiKey, fetch: upstream.fetch, sleep: noWait }),
    );
    assertFinal(error, "upstream_error");
    assert.equal(error.taskId, "task-7");
    assert.equal(error.requestId, "r-4");
    assert.deepEqual([error.toJSON().task_id, error.toJSON().request_id], ["task-7", "r-4"]);
    const early = await failure(
      submitImageTask(
        { prompt: "a cat" },
        { apiKey, fetch: scripted(cutShort('{"id": "tas')).fetch },
      ),
    );
    assert.equal(early.taskId, undefined);
    assert.equal(upstream.calls.length, 1);
  });

  it("a reset, a closed connection, a header block too large, a lost connection: one call each", async () => {
    for (const thrown of [
      undici("ECONNRESET"),
      undici("UND_ERR_SOCKET"),
      undici("UND_ERR_HEADERS_OVERFLOW"),
      deno("Connection reset by peer (os error 104)"),
      deno(
        "error sending request for url (https://open.bigmodel.cn/api/paas/v4/images/generations): client error (SendRequest): message head is too large",
      ),
      workerd("Network connection lost."),
      workerd("internal error; reference = 3jsl97qeiecaf24on674h7v0"),
      () => {
        throw new TypeError("something no runtime says today");
      },
    ]) {
      const upstream = scripted(thrown, image);
      const error = await failure(generate(upstream.fetch));
      assertFinal(error, "NETWORK_ERROR");
      assert.match(error.message, /^The connection to open\.bigmodel\.cn failed \(/);
      assert.match(error.message, /check ZHIPU_BASE_URL and your network$/);
      assert.doesNotMatch(error.message, /images\/generations|api\/paas/);
      assert.equal(upstream.calls.length, 1);
    }
  });

  it("a bare 5xx, from a gateway: one call", async () => {
    const upstream = scripted(
      () => new Response("<html>Bad Gateway</html>", { status: 502 }),
      image,
    );
    const error = await failure(generate(upstream.fetch));
    assertFinal(error, "upstream_error");
    assert.equal(error.status, 502);
    assert.equal(upstream.calls.length, 1);
  });

  it("no answer before the deadline: TIMEOUT, and it says the call may have been charged", async () => {
    const hanging = (async (_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const error = await failure(generate(hanging, { timeoutMs: 50 }));
    assertFinal(error, "TIMEOUT");
    assert.match(
      error.message,
      /^No answer within 0\.05 s to a request sent to open\.bigmodel\.cn/,
    );
  });
});

describe("a paid POST is sent again after an answer that proves it was not charged", () => {
  it("a refused connection, an unknown host, a failed lookup, on Node and on Deno", async () => {
    for (const thrown of [
      undici("ECONNREFUSED"),
      undici("ENOTFOUND"),
      undici("EAI_AGAIN"),
      undici("UND_ERR_CONNECT_TIMEOUT"),
      deno(
        "error sending request for url (http://127.0.0.1:9/): client error (Connect): tcp connect error: Connection refused (os error 111)",
      ),
      deno(
        "error sending request for url (http://no-such-host.invalid/): client error (Connect): dns error: failed to lookup address information: Name or service not known",
      ),
    ]) {
      const upstream = scripted(thrown, image);
      const result = await generate(upstream.fetch);
      assert.equal(result.url, "https://cdn.example/a.png");
      assert.equal(upstream.calls.length, 2);
    }
  });

  it("every address refused (Node's AggregateError), and says what to check", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const upstream = scripted(() => {
      throw new TypeError("fetch failed", { cause: new AggregateError([refused, refused]) });
    });
    const error = await failure(generate(upstream.fetch, { maxRetries: 1 }));
    assert.equal(error.code, "NETWORK_ERROR");
    assert.equal(error.retryable, true);
    assert.equal(error.mayHaveCharged, false);
    assert.equal(
      error.message,
      "Could not reach open.bigmodel.cn (connection refused); check ZHIPU_BASE_URL and your network",
    );
    assert.equal(upstream.calls.length, 2);
  });

  it("a 429, with or without ZhiPu's body, and a 5xx in ZhiPu's words", async () => {
    for (const answer of [
      () => json(429, { error: { code: "1302", message: "并发数过高" } }, { "retry-after": "0" }),
      () => new Response("Too Many Requests", { status: 429 }),
      () => json(500, { error: { code: "500", message: "Internal Error" } }),
    ]) {
      const upstream = scripted(answer, image);
      assert.ok((await generate(upstream.fetch)).url);
      assert.equal(upstream.calls.length, 2);
    }
  });

  it("a retry wait that runs out is a TIMEOUT that nothing was charged for", async () => {
    const upstream = scripted(() => json(429, { error: { code: "1302", message: "busy" } }));
    const error = await failure(
      generateImage(
        { prompt: "a cat" },
        {
          apiKey,
          fetch: upstream.fetch,
          timeoutMs: 50,
          sleep: (ms, signal) =>
            new Promise((resolve, reject) => {
              const timer = setTimeout(resolve, ms);
              signal?.addEventListener("abort", () => {
                clearTimeout(timer);
                reject(signal.reason);
              });
            }),
        },
      ),
    );
    assert.equal(error.code, "TIMEOUT");
    assert.equal(error.mayHaveCharged, false);
  });
});

describe("a poll (GET) keeps its retries", () => {
  it("after a reset, a lost connection, a body cut short", async () => {
    for (const failed of [
      undici("ECONNRESET"),
      workerd("Network connection lost."),
      cutShort('{"task_status": "PROC'),
    ]) {
      const upstream = scripted(failed, () => json(200, { task_status: "PROCESSING" }));
      const body = await callApi(
        "/async-result/t-1",
        { method: "GET" },
        { apiKey, fetch: upstream.fetch, sleep: noWait },
      );
      assert.deepEqual(body, { task_status: "PROCESSING" });
      assert.equal(upstream.calls.length, 2);
    }
  });
});

describe("messages that say where and what to check", () => {
  it("a 404 from the base URL: no ZhiPu API there, named without its secrets", async () => {
    const upstream = scripted(() => new Response("Not Found", { status: 404 }));
    const error = await failure(
      generate(upstream.fetch, { baseUrl: "https://user:hunter2@proxy.example/v4/" }),
    );
    assert.equal(error.code, "invalid_request");
    assert.equal(error.status, 404);
    assert.equal(
      error.message,
      "There is no ZhiPu API at https://proxy.example/v4 (HTTP 404 for POST /images/generations); check ZHIPU_BASE_URL (ZhiPu's is https://open.bigmodel.cn/api/paas/v4)",
    );
    assert.equal(upstream.calls.length, 1);
  });

  it("a 404 in ZhiPu's words (an unknown task) keeps its meaning", async () => {
    const upstream = scripted(() => json(404, { error: { code: "1214", message: "任务不存在" } }));
    const error = await failure(
      callApi("/async-result/x", { method: "GET" }, { apiKey, fetch: upstream.fetch }),
    );
    assert.equal(error.upstreamCode, "1214");
    assert.match(error.message, /^ZhiPu refused the request's parameters/);
  });

  it("a base URL without a scheme is INVALID_BASE_URL before any call", async () => {
    const upstream = scripted(image);
    const error = await failure(
      generate(upstream.fetch, { baseUrl: "127.0.0.1:4011/api/paas/v4" }),
    );
    assert.equal(error.code, "INVALID_BASE_URL");
    assert.match(error.message, /ZHIPU_BASE_URL/);
    assert.equal(upstream.calls.length, 0);
  });
});
