// The scenarios that fail a generation request, answered as ZhiPu answers them; `slow` only waits.
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as wait } from "node:timers/promises";
import { sendError } from "./http-io.ts";
import type { Scenario } from "./scenarios.ts";
import { MESSAGES } from "./zhipu-api.ts";

/** Answers a failing scenario; true when it did. */
export async function answerFailingScenario(
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
    default:
      return false;
  }
}
