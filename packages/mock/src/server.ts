import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type CaptionRequest, captionLines, contentKeyOf, SHORT_KEY } from "./caption.ts";
import { largePng, placeholderPng, tinyJpeg } from "./png.ts";
import { parseDownloads, parseScenario, scenarioFor } from "./scenario-choice.ts";
import {
  type AnswerLostScenario,
  answerLost,
  type ImageScenario,
  isImageScenario,
  type Scenario,
} from "./scenarios.ts";
import {
  createState,
  type Downloads,
  downloadModes,
  type RecordedRequest,
  resetState,
} from "./state.ts";
import { validateBody } from "./validation.ts";

export type { Downloads, RecordedRequest };

export interface MockOptions {
  port?: number;
  host?: string;
  /** The only bearer key accepted. Default "test-key". */
  apiKey?: string;
  /** Delay before answering a generation request. */
  latencyMs?: number;
  /** Polls of an async task that answer PROCESSING before SUCCESS. Default 2. */
  asyncPollsUntilDone?: number;
  /** Generation requests answered at once; above it, 429 `1302` as ZhiPu does. Default none. */
  maxConcurrent?: number;
}

export interface MockServer {
  /** The origin, e.g. http://127.0.0.1:4010. */
  url: string;
  /** What clients use as ZHIPU_BASE_URL: `${url}/api/paas/v4`. */
  baseUrl: string;
  apiKey: string;
  /** Paid generations so far: successful sync generations and succeeding async tasks. */
  readonly generations: number;
  /** The API calls received (image downloads are not recorded). */
  readonly requests: RecordedRequest[];
  /** Queues a scenario for the next generation request (first in, first out). */
  scenario(scenario: Scenario): void;
  /** Makes every image URL work, or fail one way, whatever scenario made it. */
  setDownloads(mode: Downloads): void;
  setLatency(milliseconds: number): void;
  reset(): void;
  close(): Promise<void>;
}

const API = "/api/paas/v4";

const MESSAGES = {
  missingKey: "Header中未收到Authorization参数，无法进行身份验证。",
  badKey: "Authorization Token非法，请确认Authorization Token正确传递。",
  expired: "令牌已过期或验证不正确",
  contentFilter:
    "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。",
  rateLimit: "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。",
  overload: "当前API请求过多，请稍后重试。",
  quota: "您的账户已欠费，请充值后重试。",
};

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

const sendError = (
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
) => sendJson(response, status, { error: { code, message } }, headers);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts a local server of the ZhiPu image API on loopback. */
export async function startMockServer(options: MockOptions = {}): Promise<MockServer> {
  const state = createState(options);
  const counters = () => ({ generations: state.generations, requests: state.requests.length });

  function imageUrl(request: CaptionRequest, scenario: Scenario | undefined): string {
    const { prompt, size } = request;
    const id = createHash("sha256").update(`${prompt}\n${size}`).digest("hex").slice(0, 16);
    const seed = Buffer.from(prompt).toString("base64url").slice(0, 200);
    const key = contentKeyOf(request).slice(0, SHORT_KEY);
    const extra =
      scenario && isImageScenario(scenario.kind)
        ? `&scenario=${scenario.kind}${"value" in scenario && scenario.value !== undefined ? `&value=${scenario.value}` : ""}`
        : "";
    return `${state.origin}/files/${id}.png?size=${size}&seed=${seed}&key=${key}${extra}`;
  }

  /** Answers a failing scenario; true when it did. */
  async function answerScenario(
    scenario: Scenario | undefined,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    switch (scenario?.kind) {
      case "content-filter":
        sendError(response, 400, "1301", MESSAGES.contentFilter);
        return true;
      case "rate-limit":
        sendError(response, 429, "1302", MESSAGES.rateLimit, {
          "retry-after": String(scenario.retryAfter ?? 1),
        });
        return true;
      case "overload":
        sendError(response, 429, "1305", MESSAGES.overload, {
          "retry-after": String(scenario.retryAfter ?? 1),
        });
        return true;
      case "quota":
        sendError(response, 429, "1113", MESSAGES.quota);
        return true;
      case "server-error":
        sendError(response, 500, "500", "Internal Error");
        return true;
      case "auth-expired":
        sendError(response, 401, "1000", MESSAGES.expired);
        return true;
      case "bad-json":
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<html>oops</html>");
        return true;
      case "hang":
        await new Promise((resolve) => request.socket.once("close", resolve));
        return true;
      case "slow":
        await wait(scenario.ms);
        return false;
      case "slow-task":
        // A task that takes this long; a sync request simply waits for it.
        if (!request.url?.includes("/async/")) await wait(scenario.ms);
        return false;
      default:
        return false;
    }
  }

  async function handleGeneration(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    asynchronous: boolean,
  ): Promise<void> {
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const authorization = request.headers.authorization;
    state.requests.push({
      method: "POST",
      path,
      ...(authorization ? { authorization } : {}),
      body,
    });
    if (!authorized(authorization, response)) return;
    const checked = validateBody(body);
    if (!checked.ok) return sendError(response, 400, checked.code, checked.message);
    if (state.inFlight >= state.maxConcurrent)
      return sendError(response, 429, "1302", MESSAGES.rateLimit);
    state.inFlight++;
    try {
      await answerGeneration(checked.request, request, response, asynchronous);
    } finally {
      state.inFlight--;
    }
  }

  async function answerGeneration(
    generation: CaptionRequest,
    request: IncomingMessage,
    response: ServerResponse,
    asynchronous: boolean,
  ): Promise<void> {
    const { model, prompt } = generation;
    if (state.latencyMs > 0) await wait(state.latencyMs);
    const scenario = scenarioFor(state, prompt);
    if (await answerScenario(scenario, request, response)) return;
    const url = imageUrl(generation, scenario);
    const created = Math.floor(Date.now() / 1000);
    const contentFilter =
      scenario?.kind === "content-filter-warning" ? [{ role: "user", level: 2 }] : [];
    const lost = answerLost(scenario);
    const withImage = lost?.kind !== "empty-data";
    if (asynchronous) {
      const id = `${Date.now()}-${randomUUID()}`;
      const fail = scenario?.kind === "fail";
      if (!fail) state.generations++;
      const readyAt = Date.now() + (scenario?.kind === "slow-task" ? scenario.ms : 0);
      state.tasks.set(id, {
        polls: 0,
        readyAt,
        model,
        ...(withImage ? { url } : {}),
        created,
        contentFilter,
        fail,
      });
      const task = { id, request_id: randomUUID(), model, task_status: "PROCESSING" };
      return sendAnswer(request, response, task, lost, "task_status");
    }
    state.generations++;
    const answer = {
      created,
      data: withImage ? [{ url }] : [],
      content_filter: contentFilter,
    };
    sendAnswer(request, response, answer, lost, "url");
  }

  /**
   * A paid answer, sent as asked: whole, or lost on its way in one of the ways a client must not
   * answer by paying again (its body cut short, a header block too large to read, the connection
   * reset before any answer). `empty-data` answers whole: its image list is already empty.
   */
  function sendAnswer(
    request: IncomingMessage,
    response: ServerResponse,
    answer: Record<string, unknown>,
    lost: { kind: AnswerLostScenario; value?: number } | undefined,
    /** Where a truncated answer stops by default: just before this field's value. */
    cutBefore: string,
  ): void {
    if (lost?.kind === "reset") {
      const socket = request.socket;
      if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
      else socket.destroy();
    } else if (lost?.kind === "huge-headers") {
      // About 30 KB in 600 lines: above Node's 16 KiB and Deno's 100 headers.
      const filler: Record<string, string> = {};
      for (let line = 0; line < 600; line++) filler[`x-filler-${line}`] = "f".repeat(40);
      sendJson(response, 200, answer, filler);
    } else if (lost?.kind === "truncated-answer") {
      const text = JSON.stringify(answer);
      // By default the answer stops just before the image URL of a generation, or the status of
      // a submitted task (whose id is then whole); `value` bytes when given.
      const field = `"${cutBefore}":`;
      const cut = lost.value ?? text.indexOf(field) + field.length;
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      response.write(text.slice(0, cut), () => response.destroy());
    } else {
      sendJson(response, 200, answer);
    }
  }

  function authorized(authorization: string | undefined, response: ServerResponse): boolean {
    if (!authorization) {
      sendError(response, 401, "1001", MESSAGES.missingKey);
      return false;
    }
    if (authorization !== `Bearer ${state.apiKey}`) {
      sendError(response, 401, "1002", MESSAGES.badKey);
      return false;
    }
    return true;
  }

  function handleTask(request: IncomingMessage, response: ServerResponse, path: string) {
    const authorization = request.headers.authorization;
    state.requests.push({ method: "GET", path, ...(authorization ? { authorization } : {}) });
    if (!authorized(authorization, response)) return;
    const id = decodeURIComponent(path.slice(`${API}/async-result/`.length));
    const task = state.tasks.get(id);
    if (!task) return sendError(response, 404, "1214", `任务不存在: ${id}`);
    task.polls++;
    if (task.polls <= state.pollsUntilDone || Date.now() < task.readyAt) {
      return sendJson(response, 200, { id, model: task.model, task_status: "PROCESSING" });
    }
    if (task.fail) {
      return sendJson(response, 200, {
        id,
        model: task.model,
        task_status: "FAIL",
        error: { code: "500", message: "图片生成失败" },
      });
    }
    sendJson(response, 200, {
      id,
      model: task.model,
      task_status: "SUCCESS",
      created: task.created,
      image_result: task.url === undefined ? [] : [{ url: task.url }],
      content_filter: task.contentFilter,
    });
  }

  async function handleFile(url: URL, request: IncomingMessage, response: ServerResponse) {
    const scenario =
      state.downloads === "as-made"
        ? (url.searchParams.get("scenario") as ImageScenario | null)
        : state.downloads === "working"
          ? null
          : state.downloads;
    const value = Number(url.searchParams.get("value") ?? Number.NaN);
    const [width = 1024, height = 1024] = (url.searchParams.get("size") ?? "")
      .split("x")
      .map(Number);
    const seed = url.searchParams.get("seed") ?? "";
    const key = url.searchParams.get("key") ?? "";
    if (scenario === "broken-url") return sendError(response, 404, "404", "Not Found");
    if (scenario === "not-image") {
      response.writeHead(200, { "content-type": "image/png" });
      return response.end("<html><body>Access denied</body></html>");
    }
    const cacheKey = `${width}x${height}:${seed}:${key}:${scenario === "large" ? value : ""}`;
    let bytes =
      scenario === "jpeg-as-png"
        ? tinyJpeg
        : (state.images.get(cacheKey) ??
          (scenario === "large"
            ? largePng(Number.isNaN(value) ? 40 : value, seed)
            : placeholderPng(
                width,
                height,
                seed,
                captionLines(Buffer.from(seed, "base64url").toString(), {
                  key,
                  size: `${width}x${height}`,
                }),
              )));
    if (scenario !== "jpeg-as-png") {
      if (state.images.size > 16) state.images.clear();
      state.images.set(cacheKey, bytes);
    }
    const headers: Record<string, string | number> = { "content-type": "image/png" };
    if (scenario !== "no-length") headers["content-length"] = bytes.length;
    response.writeHead(200, headers);
    if (request.method === "HEAD") return response.end();
    if (scenario === "truncated") {
      bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
      response.write(bytes, () => response.destroy());
      return;
    }
    if (scenario === "slow-download") {
      const pieces = 20;
      const step = Math.ceil(bytes.length / pieces);
      for (let offset = 0; offset < bytes.length && !response.destroyed; offset += step) {
        response.write(bytes.subarray(offset, offset + step));
        await wait((Number.isNaN(value) ? 2000 : value) / pieces);
      }
      return response.end();
    }
    response.end(bytes);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://mock");
    const path = url.pathname;
    const route = async () => {
      if (request.method === "POST" && path === `${API}/images/generations`) {
        return handleGeneration(request, response, path, false);
      }
      if (request.method === "POST" && path === `${API}/async/images/generations`) {
        return handleGeneration(request, response, path, true);
      }
      if (request.method === "GET" && path.startsWith(`${API}/async-result/`)) {
        return handleTask(request, response, path);
      }
      if ((request.method === "GET" || request.method === "HEAD") && path.startsWith("/files/")) {
        return handleFile(url, request, response);
      }
      // Control API for tests in other processes (workerd, wrangler dev, deno): read the counters,
      // reset them.
      if (request.method === "GET" && path === "/__mock/state") {
        return sendJson(response, 200, counters());
      }
      if (request.method === "POST" && path === "/__mock/reset") {
        resetState(state);
        return sendJson(response, 200, counters());
      }
      if (request.method === "POST" && path === "/__mock/scenarios") {
        const scenario = parseScenario(await readBody(request));
        if (!scenario) return sendError(response, 400, "400", "Not a scenario");
        state.queued.push(scenario);
        return sendJson(response, 200, { queued: state.queued.length });
      }
      if (request.method === "POST" && path === "/__mock/downloads") {
        const mode = parseDownloads(await readBody(request));
        if (!mode)
          return sendError(
            response,
            400,
            "400",
            `mode must be one of: ${downloadModes.join(", ")}`,
          );
        state.downloads = mode;
        return sendJson(response, 200, { downloads: mode });
      }
      sendError(response, 404, "404", "Not Found");
    };
    route().catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, "500", String(error));
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  state.origin = origin;

  return {
    url: origin,
    baseUrl: `${origin}${API}`,
    apiKey: state.apiKey,
    get generations() {
      return state.generations;
    },
    requests: state.requests,
    scenario: (scenario) => void state.queued.push(scenario),
    setDownloads: (mode) => {
      state.downloads = mode;
    },
    setLatency: (milliseconds) => {
      state.latencyMs = milliseconds;
    },
    reset: () => resetState(state),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
