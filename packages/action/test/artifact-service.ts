import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in of the two services @actions/artifact talks to: the Actions results service
 * (Twirp JSON RPCs CreateArtifact and FinalizeArtifact) and the blob store it uploads to (Azure
 * block blob: Put Block, then Put Block List). It keeps what it received.
 */
export interface ArtifactService {
  /** For ACTIONS_RESULTS_URL. */
  url: string;
  /** For ACTIONS_RUNTIME_TOKEN: a JWT whose scp claim names the run and job. */
  token: string;
  /** Finalized artifacts by name: the uploaded bytes (a zip). */
  artifacts: Map<string, Buffer>;
  close(): Promise<void>;
}

const twirp = "/twirp/github.actions.results.api.v1.ArtifactService/";

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startArtifactService(): Promise<ArtifactService> {
  const blocks = new Map<string, Buffer>();
  const blobs = new Map<string, Buffer>();
  const artifacts = new Map<string, Buffer>();
  let nextId = 1000;
  let origin = "";

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.method === "POST" && url.pathname === `${twirp}CreateArtifact`) {
      const { name } = JSON.parse((await body(request)).toString()) as { name: string };
      if (artifacts.has(name)) {
        return json(409, {
          code: "already_exists",
          msg: "an artifact with this name already exists on the workflow run",
        });
      }
      return json(200, {
        ok: true,
        signedUploadUrl: `${origin}/blob/${encodeURIComponent(name)}?sig=stand-in`,
      });
    }
    if (request.method === "POST" && url.pathname === `${twirp}FinalizeArtifact`) {
      const { name } = JSON.parse((await body(request)).toString()) as { name: string };
      const blob = blobs.get(name);
      if (!blob) return json(404, { code: "not_found", msg: "nothing was uploaded" });
      artifacts.set(name, blob);
      return json(200, { ok: true, artifactId: String(nextId++) });
    }
    if (request.method === "PUT" && url.pathname.startsWith("/blob/")) {
      const name = decodeURIComponent(url.pathname.slice("/blob/".length));
      const data = await body(request);
      const headers = {
        "x-ms-request-id": "stand-in",
        "x-ms-version": "2025-01-05",
        etag: '"0x1"',
      };
      if (url.searchParams.get("comp") === "block") {
        blocks.set(`${name}/${url.searchParams.get("blockid")}`, data);
      } else if (url.searchParams.get("comp") === "blocklist") {
        const ids = [
          ...data.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g),
        ].map((match) => match[1]);
        blobs.set(
          name,
          Buffer.concat(ids.map((id) => blocks.get(`${name}/${id}`) ?? Buffer.alloc(0))),
        );
      } else {
        blobs.set(name, data);
      }
      response.writeHead(201, headers);
      return response.end();
    }
    json(404, { code: "not_found", msg: `${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const claims = Buffer.from(
    JSON.stringify({ scp: "Actions.Results:run-backend-id:job-backend-id" }),
  ).toString("base64url");
  return {
    url: origin,
    token: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${claims}.stand-in`,
    artifacts,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The names of the files in a zip, read from its local file headers. */
export function zipEntryNames(zip: Buffer): string[] {
  const names: string[] = [];
  for (
    let offset = zip.indexOf("PK\u0003\u0004");
    offset >= 0;
    offset = zip.indexOf("PK\u0003\u0004", offset + 4)
  ) {
    const nameLength = zip.readUInt16LE(offset + 26);
    names.push(zip.toString("utf8", offset + 30, offset + 30 + nameLength));
  }
  return names;
}
