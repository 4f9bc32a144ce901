import { type ChildProcess, spawn } from "node:child_process";

export interface ProcessRun {
  status: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

interface ProcessOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
}

/** Runs a command to its end, collecting its output and wall time. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<ProcessRun> {
  return startProcess(command, args, options).result;
}

/** Starts a command; `result` settles when it ends, `child` is there to signal it meanwhile. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
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
