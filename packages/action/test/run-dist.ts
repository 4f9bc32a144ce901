import { spawn } from "node:child_process";

const dist = new URL("../dist/index.js", import.meta.url).pathname;

/** Runs the committed bundle the way the runner does: `node dist/index.js` with INPUT_* set. */
export function runDist(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [dist], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout }));
  });
}
