import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@glm-image/mock";
import { type ProcessRun, runProcess, startProcess } from "@glm-image/testkit";

export { paidCalls } from "@glm-image/testkit";

import { afterAll, beforeAll, beforeEach } from "vitest";

export const cliPath = new URL("../dist/glm-image.js", import.meta.url).pathname;

export interface CliRun extends ProcessRun {
  /** The JSON line on stdout, when there is one. */
  json: Record<string, unknown> | undefined;
}

interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
}

/** Where runs without a cwd keep their journal (never the user's own state folder). */
const sharedState = await mkdtemp(join(tmpdir(), "glm-image-state-"));

/**
 * The journal of a run (XDG_STATE_HOME) is the test's own unless it sets one: beside its working
 * folder (`<cwd>.state`), so no test resumes the paid work of another, nor touches the user's.
 */
export const stateHomeOf = (cwd: string | undefined) =>
  cwd === undefined ? sharedState : `${cwd}.state`;

const cliProcessOptions = (options: CliOptions) => ({
  env: {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    XDG_STATE_HOME: stateHomeOf(options.cwd),
    ...options.env,
  },
  ...(options.cwd ? { cwd: options.cwd } : {}),
  ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
});

function withJson(run: ProcessRun): CliRun {
  const line = run.stdout.trim();
  let json: Record<string, unknown> | undefined;
  try {
    json = line.startsWith("{") ? JSON.parse(line) : undefined;
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

/** Runs the built CLI as a child process, with only the environment given (plus PATH and HOME). */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return withJson(
    await runProcess(process.execPath, [cliPath, ...args], cliProcessOptions(options)),
  );
}

/** Starts the built CLI; signal `child` while it runs, then await `result`. */
export function startCli(args: readonly string[], options: CliOptions = {}) {
  const started = startProcess(process.execPath, [cliPath, ...args], cliProcessOptions(options));
  return { child: started.child, result: started.result.then(withJson) };
}

/**
 * A test file's mock upstream (started once, reset before each test) and a fresh working folder
 * per test, named from `prefix`.
 */
export function mockAndFolder(prefix: string): {
  readonly mock: MockServer;
  readonly work: string;
} {
  let mock: MockServer | undefined;
  let work = "";
  beforeAll(async () => {
    mock = await startMockServer();
  });
  afterAll(() => mock?.close());
  beforeEach(async () => {
    mock?.reset();
    work = await mkdtemp(join(tmpdir(), prefix));
  });
  return {
    get mock() {
      if (!mock) throw new Error("the mock starts in beforeAll");
      return mock;
    },
    get work() {
      return work;
    },
  };
}
