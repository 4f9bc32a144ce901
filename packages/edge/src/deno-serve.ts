// `deno task serve` (deno.json): the Deno entry (deno.ts) on http://127.0.0.1:8000, or on the
// --host and --port given (`deno task serve --host 0.0.0.0 --port 9000`). Loopback unless asked:
// the service spends money on every new image, so it is not offered to the whole network by
// default, as `deno serve` (0.0.0.0) would.
import process from "node:process";
import { parseArgs } from "node:util";
import edge from "./deno.ts";

const usage = "usage: deno task serve [--host 127.0.0.1] [--port 8000]";
let values: { host: string; port: string };
try {
  ({ values } = parseArgs({
    args: (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? [],
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8000" },
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"\n${usage}`);
  process.exit(2);
}

const deno = (
  globalThis as {
    Deno?: {
      serve(
        options: { hostname: string; port: number },
        handler: (request: Request, info: unknown) => Response | Promise<Response>,
      ): unknown;
    };
  }
).Deno;
deno?.serve({ hostname: values.host, port }, (request, info) => edge.fetch(request, info));
