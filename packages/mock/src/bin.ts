#!/usr/bin/env node
// `glm-image-mock`: the mock on a port until SIGINT or SIGTERM (bin/glm-image-mock.js runs the
// built copy of this file).
import { readBinOptions, usage } from "./bin-options.ts";
import { startMockServer } from "./server.ts";

const command = readBinOptions(process.argv.slice(2));
if (command.kind === "help") {
  console.log(usage);
} else if (command.kind === "usage-error") {
  console.error(`glm-image-mock: ${command.message}\n${usage.split("\n")[0]}`);
  process.exitCode = 2;
} else {
  const server = await startMockServer(command.options);
  console.log(
    `glm-image mock listening on ${server.url} (base URL ${server.baseUrl}, key ${server.apiKey})`,
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}
