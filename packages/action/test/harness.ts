import { type MockServer, startMockServer } from "@glm-image/mock";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { run } from "../src/main.ts";
import { type ActionEnv, applyEnv, captureStdout } from "./action-env.ts";

export interface Harness {
  /** The mock upstream, reset before each test. */
  readonly mock: MockServer;
  /** What the action printed in this test (workflow commands included). */
  readonly stdout: string[];
  /** Inputs that reach the mock and upload nothing. */
  base(): Record<string, string>;
  /** Runs the action in this process with the environment of `context`. */
  runIn(context: ActionEnv): Promise<void>;
  /** The ::error:: lines printed in this test. */
  errorLine(): string;
}

/** Registers the hooks of an in-process action test file: a mock, captured stdout, clean env. */
export function actionHarness(): Harness {
  let mock: MockServer | undefined;
  let restore: (() => void) | undefined;
  let stdout: string[] = [];
  beforeAll(async () => {
    mock = await startMockServer();
  });
  afterAll(() => mock?.close());
  beforeEach(() => {
    mock?.reset();
    stdout = captureStdout();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    restore?.();
    restore = undefined;
  });
  const started = () => {
    if (!mock) throw new Error("the mock starts in beforeAll");
    return mock;
  };
  return {
    get mock() {
      return started();
    },
    get stdout() {
      return stdout;
    },
    base: () => ({
      "api-key": started().apiKey,
      "base-url": started().baseUrl,
      "upload-artifact": "false",
    }),
    runIn: async (context) => {
      restore?.();
      restore = applyEnv(context.env);
      await run();
    },
    errorLine: () => stdout.filter((line) => line.startsWith("::error::")).join(""),
  };
}
