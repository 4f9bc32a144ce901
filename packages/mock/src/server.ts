import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sendError } from "./http-io.ts";
import type { MockOptions } from "./mock-options.ts";
import { handlerFor } from "./routes.ts";
import type { Scenario } from "./scenarios.ts";
import { createState, type Downloads, type RecordedRequest, resetState } from "./state.ts";
import { API_PATH } from "./zhipu-api.ts";

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

/** Starts a local server of the ZhiPu image API on loopback. */
export async function startMockServer(options: MockOptions = {}): Promise<MockServer> {
  const state = createState(options);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://mock");
    const handler = handlerFor(request.method, url.pathname);
    const answer = async () => handler(state, request, response, url);
    answer().catch((error: unknown) => {
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
  state.origin = `http://${host}:${address.port}`;

  return {
    url: state.origin,
    baseUrl: `${state.origin}${API_PATH}`,
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
