/** What a generation request should meet, chosen by a prompt marker or queued through the API. */
export type Scenario =
  | { kind: "content-filter" }
  | { kind: "content-filter-warning" }
  | { kind: "rate-limit"; retryAfter?: number }
  | { kind: "overload"; retryAfter?: number }
  | { kind: "quota" }
  | { kind: "server-error" }
  | { kind: "auth-expired" }
  | { kind: "bad-json" }
  | { kind: "slow"; ms: number }
  | { kind: "slow-task"; ms: number }
  | { kind: "hang" }
  | { kind: "fail" }
  | { kind: AnswerLostScenario; value?: number }
  | { kind: ImageScenario; value?: number };

/**
 * Scenarios where the upstream accepts the request and counts it paid, and its answer does not
 * reach the client whole: what a client must never answer by sending the request again.
 */
export const answerLostScenarios = [
  "truncated-answer",
  "huge-headers",
  "reset",
  "empty-data",
] as const;
export type AnswerLostScenario = (typeof answerLostScenarios)[number];

export const isAnswerLostScenario = (kind: string): kind is AnswerLostScenario =>
  (answerLostScenarios as readonly string[]).includes(kind);

export type AnswerLost = Extract<Scenario, { kind: AnswerLostScenario }>;

/** The scenario, when it is one where the answer is lost. */
export const answerLost = (scenario: Scenario | undefined) =>
  scenario?.kind !== undefined && isAnswerLostScenario(scenario.kind)
    ? (scenario as AnswerLost)
    : undefined;

/** Scenarios that hold for every request with the prompt, whatever its count. */
export const isStandingScenario = (kind: string) =>
  isImageScenario(kind) || kind === "content-filter-warning" || kind === "slow-task";

/** Scenarios where generation succeeds and the image URL misbehaves. */
export const imageScenarios = [
  "broken-url",
  "truncated",
  "not-image",
  "jpeg-as-png",
  "large",
  "slow-download",
  "no-length",
] as const;
export type ImageScenario = (typeof imageScenarios)[number];

export const isImageScenario = (kind: string): kind is ImageScenario =>
  (imageScenarios as readonly string[]).includes(kind);

const markerPattern = /\[mock:([a-z-]+?)(?:-(once|\d+))?(?:=(\d+))?\]/g;

export interface Marker {
  scenario: Scenario;
  /** How many requests with this prompt meet it; Infinity for every one. */
  times: number;
}

/**
 * Reads `[mock:NAME]` (every request), `[mock:NAME-once]` and `[mock:NAME-N]` (the first 1 or N
 * requests with this prompt), `[mock:NAME=VALUE]` (a number: ms for slow and slow-download, MiB
 * for large, bytes of the answer for truncated-answer). Marker scenarios answer with Retry-After 0, to keep tests fast.
 */
export function parseMarkers(prompt: string): Marker[] {
  const markers: Marker[] = [];
  for (const [, name = "", count, value] of prompt.matchAll(markerPattern)) {
    const times =
      count === undefined ? Number.POSITIVE_INFINITY : count === "once" ? 1 : Number(count);
    const number = value === undefined ? undefined : Number(value);
    const scenario = scenarioNamed(name, number);
    if (scenario) markers.push({ scenario, times });
  }
  return markers;
}

function scenarioNamed(name: string, value: number | undefined): Scenario | undefined {
  switch (name) {
    case "rate-limit":
    case "overload":
      return { kind: name, retryAfter: 0 };
    case "slow":
    case "slow-task":
      return { kind: name, ms: value ?? 1000 };
    case "content-filter":
    case "content-filter-warning":
    case "quota":
    case "server-error":
    case "auth-expired":
    case "bad-json":
    case "hang":
    case "fail":
      return { kind: name };
    default:
      return isImageScenario(name) || isAnswerLostScenario(name)
        ? { kind: name, ...(value === undefined ? {} : { value }) }
        : undefined;
  }
}
