import packageJson from "../package.json" with { type: "json" };
import { main } from "./main.ts";

// SIGINT/SIGTERM stop the command through its signal: the temporary file goes, the JSON line
// still comes (with the paid image_url), the exit status is 130. A second signal ends at once.
const interrupt = new AbortController();
const stop = (name: NodeJS.Signals) => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new Error(name));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdio: { input: process.stdin, output: process.stdout },
  version: packageJson.version,
  signal: interrupt.signal,
});
