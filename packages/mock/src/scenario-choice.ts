// Which scenario a request meets (the queue first, then the prompt's markers), and the control
// API's parsers for scenarios and download modes.
import {
  isAnswerLostScenario,
  isImageScenario,
  isStandingScenario,
  parseMarkers,
  type Scenario,
} from "./scenarios.ts";
import { type Downloads, downloadModes, type MockState } from "./state.ts";

/** The scenario this request meets: the queue first, then the prompt's markers. */
export function scenarioFor(state: MockState, prompt: string): Scenario | undefined {
  const next = state.queued.shift();
  if (next) return next;
  const served = state.servedByPrompt.get(prompt) ?? 0;
  state.servedByPrompt.set(prompt, served + 1);
  let failuresBefore = 0;
  for (const marker of parseMarkers(prompt)) {
    if (isStandingScenario(marker.scenario.kind)) return marker.scenario;
    if (served < failuresBefore + marker.times) return marker.scenario;
    failuresBefore += marker.times;
  }
  return undefined;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseDownloads(text: string): Downloads | undefined {
  const mode = parseJson(text)?.mode;
  return downloadModes.find((candidate) => candidate === mode);
}

/** A scenario sent to the control API: `{kind, retryAfter?, ms?, value?}`. */
export function parseScenario(text: string): Scenario | undefined {
  const body = parseJson(text);
  const kind = body?.kind;
  if (typeof kind !== "string") return undefined;
  const number = (name: string) =>
    typeof body?.[name] === "number" ? (body[name] as number) : undefined;
  if (kind === "rate-limit" || kind === "overload") {
    const retryAfter = number("retryAfter");
    return retryAfter === undefined ? { kind } : { kind, retryAfter };
  }
  if (kind === "slow" || kind === "slow-task") return { kind, ms: number("ms") ?? 1000 };
  if (isImageScenario(kind) || isAnswerLostScenario(kind)) {
    const value = number("value");
    return value === undefined ? { kind } : { kind, value };
  }
  const plain = [
    "content-filter",
    "content-filter-warning",
    "quota",
    "server-error",
    "auth-expired",
    "bad-json",
    "hang",
    "fail",
  ] as const;
  return plain.find((candidate) => candidate === kind) ? ({ kind } as Scenario) : undefined;
}
