// The control API under /__mock/, for tests in other processes (workerd, wrangler dev, deno) that
// cannot hold the MockServer object: read the counters, reset them, queue a scenario, set how
// image URLs behave.
import { readBody, sendError, sendJson } from "../http-io.ts";
import { parseDownloads, parseScenario } from "../scenario-choice.ts";
import { downloadModes, type MockState, resetState } from "../state.ts";
import type { Handler } from "./handler.ts";

const counters = (state: MockState) => ({
  generations: state.generations,
  requests: state.requests.length,
});

/** GET /__mock/state */
export const handleReadState: Handler = (state, _request, response) =>
  sendJson(response, 200, counters(state));

/** POST /__mock/reset */
export const handleReset: Handler = (state, _request, response) => {
  resetState(state);
  sendJson(response, 200, counters(state));
};

/** POST /__mock/scenarios, `{kind, retryAfter?, ms?, value?}`: queued for the next generation. */
export const handleQueueScenario: Handler = async (state, request, response) => {
  const scenario = parseScenario(await readBody(request));
  if (!scenario) return sendError(response, 400, "400", "Not a scenario");
  state.queued.push(scenario);
  sendJson(response, 200, { queued: state.queued.length });
};

/** POST /__mock/downloads, `{mode}`. */
export const handleSetDownloads: Handler = async (state, request, response) => {
  const mode = parseDownloads(await readBody(request));
  if (!mode) {
    return sendError(response, 400, "400", `mode must be one of: ${downloadModes.join(", ")}`);
  }
  state.downloads = mode;
  sendJson(response, 200, { downloads: mode });
};
