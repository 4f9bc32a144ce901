#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startMockServer } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "api-key": { type: "string", default: "test-key" },
    latency: { type: "string", default: "0" },
  },
});

const server = await startMockServer({
  port: Number(values.port),
  host: values.host,
  apiKey: values["api-key"],
  latencyMs: Number(values.latency),
});
console.log(
  `glm-image mock listening on ${server.url} (base URL ${server.baseUrl}, key ${server.apiKey})`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
