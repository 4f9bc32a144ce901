import { startMockServer } from "@glm-image/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    mockBaseUrl: string;
    mockOrigin: string;
  }
}

/** The ZhiPu stand-in, on loopback, for every test project that needs an upstream. */
export default async function setup(project: TestProject) {
  const mock = await startMockServer();
  project.provide("mockBaseUrl", mock.baseUrl);
  project.provide("mockOrigin", mock.url);
  return () => mock.close();
}
