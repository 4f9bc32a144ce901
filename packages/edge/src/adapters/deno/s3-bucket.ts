import { AwsClient } from "aws4fetch";
import type { BucketObject, ObjectBucket } from "../../domain/ports.ts";

export interface S3Settings {
  /** e.g. https://<account>.r2.cloudflarestorage.com, or a MinIO or s3rver origin. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `auto` for R2. */
  region: string;
  fetch?: typeof fetch;
}

/**
 * An S3-compatible bucket (R2's S3 API, AWS S3, MinIO, s3rver) as an ObjectBucket, signed with
 * aws4fetch. Path-style URLs (`{endpoint}/{bucket}/{key}`), which all of them accept. A put of a
 * stream with a known length streams it (`Content-Length`, unsigned payload, see send-with-length);
 * an unknown length is read into memory first (downloads are capped at 50 MiB). A single PUT is atomic in S3: an
 * object is whole or absent.
 */
export function s3Bucket(settings: S3Settings): ObjectBucket {
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    region: settings.region,
    service: "s3",
    retries: 0,
  });
  const send = settings.fetch ?? fetch;
  const base = `${settings.endpoint.replace(/\/+$/, "")}/${encodeURIComponent(settings.bucket)}`;
  const objectUrl = (key: string) => `${base}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const call = async (url: string, init: RequestInit = {}) => send(await client.sign(url, init));
  const failure = async (operation: string, response: Response) =>
    s3Error(operation, response.status, await response.text());
  const describe = (response: Response): BucketObject => ({
    size: Number(response.headers.get("content-length") ?? 0),
    contentType: response.headers.get("content-type") ?? undefined,
  });

  return {
    async put(key, body, { length, contentType }) {
      const headers: Record<string, string> = { "content-type": contentType };
      let response: Response;
      let size: number;
      if (body instanceof Uint8Array || length === undefined) {
        const bytes =
          body instanceof Uint8Array
            ? body
            : new Uint8Array(await new Response(body).arrayBuffer());
        response = await call(objectUrl(key), {
          method: "PUT",
          headers,
          body: bytes as Uint8Array<ArrayBuffer>,
        });
        size = bytes.byteLength;
      } else {
        headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
        const signed = await client.sign(objectUrl(key), {
          method: "PUT",
          headers,
          body,
          duplex: "half",
        } as RequestInit);
        // node:http, loaded when a stream is sent: the other calls need only fetch (and run
        // wherever fetch does, workerd included).
        const { sendWithLength } = await import("./send-with-length.ts");
        response = await sendWithLength(signed, length);
        size = length;
      }
      if (!response.ok) throw await failure("PUT", response);
      await response.body?.cancel();
      return { size, contentType };
    },
    async get(key) {
      const response = await call(objectUrl(key));
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok || !response.body) throw await failure("GET", response);
      return { ...describe(response), body: response.body };
    },
    async head(key) {
      const response = await call(objectUrl(key), { method: "HEAD" });
      if (response.status === 404) return null;
      if (!response.ok) throw s3Error("HEAD", response.status, "");
      return describe(response);
    },
    async list({ prefix, cursor, limit }) {
      const query = new URLSearchParams({ "list-type": "2", prefix, "max-keys": String(limit) });
      if (cursor) query.set("continuation-token", cursor);
      const response = await call(`${base}?${query}`);
      if (!response.ok) throw await failure("LIST", response);
      const xml = await response.text();
      const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) =>
        unescapeXml(match[1] ?? ""),
      );
      const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
      const next = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1];
      return { keys, ...(truncated && next ? { cursor: unescapeXml(next) } : {}) };
    },
    async delete(key) {
      const response = await call(objectUrl(key), { method: "DELETE" });
      if (!response.ok && response.status !== 404) throw await failure("DELETE", response);
      await response.body?.cancel();
    },
  };
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

function unescapeXml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** A failed S3 call: the operation, the HTTP status and S3's error code, never a credential. */
function s3Error(operation: string, status: number, xml: string): Error {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
  return new Error(`S3 ${operation} answered ${status}${code ? ` ${code}` : ""}`);
}
