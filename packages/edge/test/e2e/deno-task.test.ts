// `deno task serve`, as the README runs it: loopback unless a host is given (a service that pays
// for every new image is not offered to the network by default), and a clear usage error.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  edgeSettings,
  freePort,
  listeningAddresses,
  root,
  runProcess,
  type Service,
  startService,
} from "@glm-image/testkit";
import { afterEach, describe, expect, inject, it } from "vitest";

const task = ["task", "--config", "packages/edge/deno.json", "serve"];
let service: Service | undefined;
afterEach(() => service?.stop());

async function serve(args: string[], port: number): Promise<Service> {
  const data = await mkdtemp(join(tmpdir(), "glm-image-deno-task-"));
  return startService(
    "deno",
    [...task, ...args],
    { ...edgeSettings(inject("mockBaseUrl")), DATA_DIR: data, KV_PATH: join(data, "kv.sqlite3") },
    port,
  );
}

describe("deno task serve", () => {
  it("listens on 127.0.0.1 only, unless a host is given", async () => {
    const port = await freePort();
    service = await serve(["--port", String(port)], port);
    expect(await listeningAddresses(port)).toEqual(["127.0.0.1"]);
    const health = await fetch(`${service.origin}/healthz`);
    expect(health.status).toBe(200);
    await health.arrayBuffer();
    await service.stop();
    expect(await listeningAddresses(port)).toEqual([]);

    const open = await freePort();
    service = await serve(["--host", "0.0.0.0", "--port", String(open)], open);
    expect(await listeningAddresses(open)).toEqual(["0.0.0.0"]);
  });

  it("answers an unknown flag with its usage, exit 2", async () => {
    const run = await runProcess(`${root}node_modules/.bin/deno`, [...task, "--hots", "0.0.0.0"], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--hots'");
    expect(run.stderr).toContain("usage: deno task serve [--host 127.0.0.1] [--port 8000]");
  });
});
