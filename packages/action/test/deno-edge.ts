import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

const root = new URL("../../../", import.meta.url).pathname;

export interface Edge {
  origin: string;
  stop(): Promise<void>;
}

/**
 * The edge service as users deploy it on Deno: `deno serve` of its entry file, in front of the
 * mock upstream, images in a folder. Bearer tokens: token-one, token-two.
 */
export async function startEdge(mockBaseUrl: string, dataDirectory: string): Promise<Edge> {
  const listener = createServer().listen(0, "127.0.0.1");
  await once(listener, "listening");
  const address = listener.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => listener.close(resolve));

  const child = spawn(
    `${root}node_modules/.bin/deno`,
    [
      "serve",
      "--quiet",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "packages/edge/src/deno.ts",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ZHIPU_API_KEY: "test-key",
        ZHIPU_BASE_URL: mockBaseUrl,
        API_TOKENS: "token-one,token-two",
        DATA_DIR: dataDirectory,
        NO_COLOR: "1",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk;
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`deno serve exited: ${errors}`);
    if (
      await fetch(`${origin}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    if (waited > 90_000) throw new Error(`deno serve did not start: ${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
