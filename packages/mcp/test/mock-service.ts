// The mock ZhiPu server of a test file (started once), and a fresh service over it for each test.
import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, beforeAll } from "vitest";
import { MemoryImageService } from "./memory-image-service.ts";

export interface MockService {
  /** The mock, its counters zeroed. */
  mock: MockServer;
  service: MemoryImageService;
}

/** Starts the mock for the file; call the answer in `beforeEach` for a clean mock and service. */
export function useMockService(): () => MockService {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer({ latencyMs: 0 });
  });
  afterAll(() => mock?.close());
  return () => {
    if (mock === undefined) throw new Error("The mock starts in beforeAll");
    mock.reset();
    return {
      mock,
      service: new MemoryImageService({ baseUrl: mock.baseUrl, apiKey: mock.apiKey }),
    };
  };
}
