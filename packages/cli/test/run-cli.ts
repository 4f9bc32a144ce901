import { spawn } from "node:child_process";

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
  options: { env: Record<string, string | undefined>; cwd?: string },
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({ status, stdout, stderr, wallMs: performance.now() - started }),
    );
  });
}

export interface CliRun extends ProcessRun {
  /** The JSON line on stdout, when there is one. */
  json: Record<string, unknown> | undefined;
}

/** Runs the built CLI as a child process, with only the environment given (plus PATH and HOME). */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const run = await runProcess(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const line = run.stdout.trim();
  let json: Record<string, unknown> | undefined;
  try {
    json = line.startsWith("{") ? JSON.parse(line) : undefined;
  } catch {
    json = undefined;
  }
  return { ...run, json };
}
