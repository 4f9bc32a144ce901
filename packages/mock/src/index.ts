export { type ImageScenario, imageScenarios, parseMarkers, type Scenario } from "./scenarios.ts";
export {
  type MockOptions,
  type MockServer,
  type RecordedRequest,
  startMockServer,
} from "./server.ts";
