// A generation request, sync or async, up to its answer: recorded, its key and body checked, held
// to the concurrency limit and the latency, met by its scenario. What is left, the image now or a
// task to poll, is its route's to answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as wait } from "node:timers/promises";
import { admitApiCall } from "./api-call.ts";
import type { CaptionRequest } from "./caption.ts";
import { answerFailingScenario } from "./failing-scenarios.ts";
import { readJsonBody, sendError } from "./http-io.ts";
import { imageUrl } from "./image-url.ts";
import { scenarioFor } from "./scenario-choice.ts";
import { type AnswerLost, answerLost, type Scenario } from "./scenarios.ts";
import type { MockState, Task } from "./state.ts";
import { validateBody } from "./validation.ts";
import { MESSAGES } from "./zhipu-api.ts";

/** A generation the upstream takes on and is paid for: what its route answers. */
export interface Generation {
  request: CaptionRequest;
  scenario: Scenario | undefined;
  /** Undefined for an answer without an image (empty-data). */
  imageUrl: string | undefined;
  contentFilter: Task["contentFilter"];
  lost: AnswerLost | undefined;
}

/** Takes a generation request in and has `answer` answer it, in its concurrency slot. */
export async function serveGeneration(
  state: MockState,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  answer: (generation: Generation) => void | Promise<void>,
): Promise<void> {
  const body = await readJsonBody(request);
  if (!admitApiCall(state, request, response, { method: "POST", path, body })) return;
  const checked = validateBody(body);
  if (!checked.ok) return sendError(response, 400, checked.code, checked.message);
  if (state.inFlight >= state.maxConcurrent)
    return sendError(response, 429, "1302", MESSAGES.rateLimit);
  state.inFlight++;
  try {
    if (state.latencyMs > 0) await wait(state.latencyMs);
    const scenario = scenarioFor(state, checked.request.prompt);
    if (await answerFailingScenario(scenario, request, response)) return;
    const lost = answerLost(scenario);
    await answer({
      request: checked.request,
      scenario,
      imageUrl:
        lost?.kind === "empty-data" ? undefined : imageUrl(state.origin, checked.request, scenario),
      contentFilter:
        scenario?.kind === "content-filter-warning" ? [{ role: "user", level: 2 }] : [],
      lost,
    });
  } finally {
    state.inFlight--;
  }
}
