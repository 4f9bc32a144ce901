export { type ImageScenario, imageScenarios, parseMarkers, type Scenario } from "./scenarios.ts";
export {
  type Downloads,
  type MockOptions,
  type MockServer,
  type RecordedRequest,
  startMockServer,
} from "./server.ts";
