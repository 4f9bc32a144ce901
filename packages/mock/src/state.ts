// The mock's state: counters, recorded requests, queued scenarios, async tasks and cached image
// bytes. The route handlers (handlers/) read and change it; reset() empties it between tests.

import type { MockOptions } from "./mock-options.ts";
import type { Scenario } from "./scenarios.ts";
import { imageScenarios } from "./scenarios.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

export const downloadModes = ["as-made", "working", ...imageScenarios] as const;
export type Downloads = (typeof downloadModes)[number];

export interface Task {
  polls: number;
  /** Unix ms before which polls answer PROCESSING (slow-task), whatever their count. */
  readyAt: number;
  model: string;
  /** Absent for a task that succeeds without an image (empty-data). */
  url?: string;
  created: number;
  /** What the task's SUCCESS answers, as the sync answer would (content-filter-warning). */
  contentFilter: Array<{ role: string; level: number }>;
  fail: boolean;
}

export interface MockState {
  readonly apiKey: string;
  readonly pollsUntilDone: number;
  readonly maxConcurrent: number;
  latencyMs: number;
  inFlight: number;
  /** How image URLs behave: as their scenario made them, all working, or all failing one way. */
  downloads: Downloads;
  /** Paid generations so far (failed async tasks are not paid). */
  generations: number;
  readonly requests: RecordedRequest[];
  /** Scenarios queued through the API or the control route, met before any prompt marker. */
  readonly queued: Scenario[];
  /** How many times each prompt was answered: `[mock:...xN]` markers count on it. */
  readonly servedByPrompt: Map<string, number>;
  readonly tasks: Map<string, Task>;
  readonly images: Map<string, Buffer>;
  /** http://host:port, once listening. */
  origin: string;
}

export function createState(options: MockOptions): MockState {
  return {
    apiKey: options.apiKey ?? "test-key",
    pollsUntilDone: options.asyncPollsUntilDone ?? 2,
    maxConcurrent: options.maxConcurrent ?? Number.POSITIVE_INFINITY,
    latencyMs: options.latencyMs ?? 0,
    inFlight: 0,
    downloads: "as-made",
    generations: 0,
    requests: [],
    queued: [],
    servedByPrompt: new Map(),
    tasks: new Map(),
    images: new Map(),
    origin: "",
  };
}

/** Empties what tests see (counters, records, queue, tasks); keeps options, latency and images. */
export function resetState(state: MockState): void {
  state.downloads = "as-made";
  state.generations = 0;
  state.requests.length = 0;
  state.queued.length = 0;
  state.servedByPrompt.clear();
  state.tasks.clear();
}
