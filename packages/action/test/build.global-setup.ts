import { execFileSync } from "node:child_process";

/** The dist test runs the bundle the runner runs: build it first (CI checks it is committed). */
export default function setup(): void {
  execFileSync(process.execPath, [new URL("../scripts/build.ts", import.meta.url).pathname], {
    stdio: "inherit",
  });
}
