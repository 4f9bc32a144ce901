import { execFileSync } from "node:child_process";

/** The child-process tests run the bundle that users run: build it first. */
export default function setup(): void {
  execFileSync(process.execPath, [new URL("../scripts/build.ts", import.meta.url).pathname], {
    stdio: "inherit",
  });
}
