import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

// Node's `stream/web` ReadableStream and the global (DOM) one are the same object at run time but
// two types to TypeScript: the one cast between them lives here.

/** A Web stream as a Node Readable. */
export const nodeReadable = (stream: ReadableStream<Uint8Array>): Readable =>
  Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>);

/** A Node Readable as a Web stream. */
export const webStream = (readable: Readable): ReadableStream<Uint8Array> =>
  Readable.toWeb(readable) as unknown as ReadableStream<Uint8Array>;
