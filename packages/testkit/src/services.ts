import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { wranglerDevSettings } from "@glm-image/edge/worker-settings";

/** The repository's root folder: services run from there, as `npm run dev` runs them. */
export const root = new URL("../../../", import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/** Settings that replace or add to the edge's test settings (`edgeSettings`). */
export type EdgeOverrides = Record<string, string>;

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface Service {
  origin: string;
  output(): string;
  stop(): Promise<void>;
  /** `kill -9` of the whole process group: a crash, with no chance to clean up. */
  crash(): Promise<void>;
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready in time:\n${output()}`);
}

/** Starts a server process in its own process group and waits until `readyPath` answers. */
export async function startService(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath = "/healthz",
  /** The environment the settings in `env` are added to; the test runner's by default. */
  base: NodeJS.ProcessEnv = process.env,
): Promise<Service> {
  const child = spawn(command.startsWith("/") ? command : bin(command), args, {
    cwd: root,
    env: {
      ...base,
      ...env,
      NO_COLOR: "1",
      WRANGLER_SEND_METRICS: "false",
      // No fetch of Request.cf data from the internet: miniflare's offline fallback.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const origin = `http://127.0.0.1:${port}`;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, signal);
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(`${origin}${readyPath}`, child, () => output);
  } catch (error) {
    // Never ready (e.g. listening elsewhere): no process of it outlives the failure.
    await end("SIGKILL");
    throw error;
  }
  return {
    origin,
    output: () => output,
    stop: () => end("SIGTERM"),
    crash: () => end("SIGKILL"),
  };
}

/** The edge's settings for tests: the mock upstream, bearer tokens token-one and token-two. */
export const edgeSettings = (mockBaseUrl: string) => ({
  ZHIPU_API_KEY: "test-key",
  ZHIPU_BASE_URL: mockBaseUrl,
  API_TOKENS: "token-one,token-two",
  SIGNING_SECRET: "a-signing-secret-for-tests",
  ALLOWED_ORIGINS: "https://app.example",
});

/**
 * `wrangler dev` on a port, state persisted under `state`, with the edge's test settings plus the
 * overrides, handed over as `npm start` hands them (@glm-image/edge/worker-settings): every one
 * reaches the Worker, none comes from the test runner's own environment or a .dev.vars, and
 * wrangler has no required secret to warn about. A name the Worker does not declare is an error.
 */
export async function startWranglerDev(
  port: number,
  state: string,
  mockBaseUrl: string,
  overrides: EdgeOverrides = {},
): Promise<Service> {
  const settings = wranglerDevSettings({ ...edgeSettings(mockBaseUrl), ...overrides });
  try {
    const service = await startService(
      "wrangler",
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        state,
        "--inspector-port",
        "0",
        "--show-interactive-dev-session=false",
        ...settings.args,
      ],
      {},
      port,
      "/healthz",
      settings.environment,
    );
    return {
      ...service,
      stop: () => service.stop().finally(settings.remove),
      crash: () => service.crash().finally(settings.remove),
    };
  } catch (error) {
    settings.remove();
    throw error;
  }
}

/**
 * The Deno entry under `deno serve` on a port (a free one by default), images under `dataDirectory`
 * unless S3 settings are among the overrides; with a KV_PATH among them, `--unstable-kv` (Deno KV
 * coordination in that file).
 */
export async function startDenoEdge(
  mockBaseUrl: string,
  dataDirectory: string,
  overrides: EdgeOverrides = {},
  port?: number,
): Promise<Service> {
  port ??= await freePort();
  return startService(
    "deno",
    [
      "serve",
      "--quiet",
      "--conditions=source",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      ...(overrides.KV_PATH ? ["--unstable-kv"] : []),
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "packages/edge/src/deno.ts",
    ],
    { ...edgeSettings(mockBaseUrl), DATA_DIR: dataDirectory, ...overrides },
    port,
  );
}

export interface S3Server extends Service {
  /** The Deno entry's S3_* settings for this server. */
  settings: {
    S3_ENDPOINT: string;
    S3_BUCKET: string;
    S3_ACCESS_KEY_ID: string;
    S3_SECRET_ACCESS_KEY: string;
    S3_REGION: string;
  };
}

/**
 * s3rver (see s3-server.ts) on a port (a free one by default; the same one again to restart it),
 * one bucket "images", objects under `directory`.
 */
export async function startS3Server(directory: string, port?: number): Promise<S3Server> {
  port ??= await freePort();
  const service = await startService(
    process.execPath,
    [
      "--openssl-legacy-provider",
      new URL("./s3-server.ts", import.meta.url).pathname,
      String(port),
      directory,
      "images",
    ],
    {},
    port,
    "/",
  );
  const settings = {
    S3_ENDPOINT: service.origin,
    S3_BUCKET: "images",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_REGION: "auto",
  };
  return { ...service, settings };
}
