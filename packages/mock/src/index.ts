export type { MockOptions } from "./mock-options.ts";
export { type ImageScenario, imageScenarios, parseMarkers, type Scenario } from "./scenarios.ts";
export { type MockServer, startMockServer } from "./server.ts";
export type { Downloads, RecordedRequest } from "./state.ts";
