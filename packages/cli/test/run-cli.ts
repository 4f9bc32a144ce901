import { type ChildProcess, spawn } from "node:child_process";

export const cliPath = new URL("../dist/glm-image.js", import.meta.url).pathname;

export interface ProcessRun {
  status: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs a command to its end, collecting its output and wall time. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string | undefined>; cwd?: string; stdin?: string },
): Promise<ProcessRun> {
  return startProcess(command, args, options).result;
}

/** Starts a command; `result` settles when it ends, `child` is there to signal it meanwhile. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string | undefined>; cwd?: string; stdin?: string },
): { child: ChildProcess; result: Promise<ProcessRun> } {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env,
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const result = new Promise<ProcessRun>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({ status, stdout, stderr, wallMs: performance.now() - started }),
    );
  });
  return { child, result };
}

export interface CliRun extends ProcessRun {
  /** The JSON line on stdout, when there is one. */
  json: Record<string, unknown> | undefined;
}

interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
}

const cliProcessOptions = (options: CliOptions) => ({
  env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
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
