// The command line of `glm-image-mock`, read into options or a usage error a person can act on.
import { parseArgs } from "node:util";

export const usage = `usage: glm-image-mock [--port 4010] [--host 127.0.0.1] [--api-key test-key] [--latency 0]

A local server of the ZhiPu image API, for tests and for trying glm-image without a key. It prints
its base URL: point ZHIPU_BASE_URL at it and set ZHIPU_API_KEY to its key.

  --port N       the port to listen on (0: any free one); default 4010
  --host HOST    the address to listen on; default 127.0.0.1
  --api-key KEY  the only bearer key it accepts; default test-key
  --latency MS   milliseconds before each answer; default 0
  -h, --help     this help`;

export interface BinOptions {
  port: number;
  host: string;
  apiKey: string;
  latencyMs: number;
}

export type BinCommand =
  | { kind: "serve"; options: BinOptions }
  | { kind: "help" }
  | { kind: "usage-error"; message: string };

/** parseArgs' errors in plain words (its own mention `--` and positional arguments). */
function plain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${quoted}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = quoted?.split(" ")[0] ?? "an option";
    return message.includes("ambiguous")
      ? `${option} needs a value; a value that starts with - goes after =, as in ${option}=-1`
      : `${option} needs a value`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument ${quoted}`;
  return message;
}

const whole = (name: string, text: string, max: number): number | string => {
  const value = Number(text);
  return /^\d+$/.test(text) && value <= max
    ? value
    : `${name} must be a whole number from 0 to ${max}, not "${text}"`;
};

export function readBinOptions(args: string[]): BinCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        "api-key": { type: "string", default: "test-key" },
        latency: { type: "string", default: "0" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { kind: "usage-error", message: plain(error) };
  }
  if (values.help) return { kind: "help" };
  const port = whole("--port", String(values.port), 65535);
  const latency = whole("--latency", String(values.latency), 600_000);
  if (typeof port === "string") return { kind: "usage-error", message: port };
  if (typeof latency === "string") return { kind: "usage-error", message: latency };
  return {
    kind: "serve",
    options: {
      port,
      host: String(values.host),
      apiKey: String(values["api-key"]),
      latencyMs: latency,
    },
  };
}
