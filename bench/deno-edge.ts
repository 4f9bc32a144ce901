// The Deno entry as a serverless host runs it, for the bench's figures: `deno serve` with S3
// storage (s3rver on loopback) and Deno KV coordination (a KV file), all in a fresh folder.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { type S3Server, type Service, startDenoEdge, startS3Server } from "@glm-image/testkit";

export interface DenoEdge {
  edge: Service;
  s3: S3Server;
  stop(): Promise<void>;
}

/** Starts s3rver and the Deno edge on it under `work`, with `tokens` as API_TOKENS. */
export async function startDenoOnS3(
  mockBaseUrl: string,
  work: string,
  tokens: string[],
  settings: Record<string, string> = {},
): Promise<DenoEdge> {
  const folder = await mkdtemp(join(work, "deno-edge-"));
  const s3 = await startS3Server(join(folder, "s3"));
  const edge = await startDenoEdge(mockBaseUrl, join(folder, "data"), {
    ...s3.settings,
    KV_PATH: join(folder, "kv.sqlite3"),
    API_TOKENS: tokens.join(","),
    ...settings,
  });
  return {
    edge,
    s3,
    async stop() {
      await edge.stop();
      await s3.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
