// A smaller copy of a PNG for `include_image`, with Web APIs only (DecompressionStream and
// CompressionStream, on Node 20, Deno and Workers alike): decoded, averaged over k x k boxes,
// encoded again. Every ancillary chunk of the original is kept, text and EXIF included: China's
// labelling rules put the AI label in the file's metadata and forbid removing it, and a converted
// copy keeps it. Reads 8-bit, non-interlaced greyscale or truecolour PNGs, with or without alpha
// (what the image API delivers); for anything else it answers undefined.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels per pixel, by colour type: greyscale, truecolour, greyscale+alpha, truecolour+alpha. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const MAX_FACTOR = 16;

export interface PngRendition {
  data: Uint8Array;
  width: number;
  height: number;
  /** The original's size. */
  fromWidth: number;
  fromHeight: number;
}

interface Chunk {
  type: string;
  data: Uint8Array;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function readChunks(png: Uint8Array): Chunk[] | undefined {
  if (!SIGNATURE.every((byte, index) => png[index] === byte)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let offset = 8; offset + 12 <= png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > png.length) return undefined;
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === "IEND") return chunks;
  }
  return undefined;
}

function writeChunk(chunk: Chunk): Uint8Array {
  const out = new Uint8Array(12 + chunk.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, chunk.data.length);
  for (let index = 0; index < 4; index++) out[4 + index] = chunk.type.charCodeAt(index);
  out.set(chunk.data, 8);
  view.setUint32(8 + chunk.data.length, crc32(out.subarray(4, 8 + chunk.data.length)));
  return out;
}

const concat = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

const paeth = (left: number, up: number, upLeft: number) => {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
};

/** The scanlines of the image, filters undone: `height` rows of `stride` bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, channels: number) {
  const pixels = new Uint8Array(height * stride);
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y === 0 ? zero : pixels.subarray((y - 1) * stride, y * stride);
    if (filter === 0) {
      out.set(line);
      continue;
    }
    if (filter === undefined || filter > 4) throw new Error(`PNG filter type ${filter} is not one`);
    // Reads are in bounds (`?? 0` only satisfies the type checker); stores wrap to a byte.
    for (let x = 0; x < stride; x++) {
      const value = line[x] ?? 0;
      const left = x >= channels ? (out[x - channels] ?? 0) : 0;
      const up = above[x] ?? 0;
      if (filter === 1) out[x] = value + left;
      else if (filter === 2) out[x] = value + up;
      else if (filter === 3) out[x] = value + ((left + up) >>> 1);
      else out[x] = value + paeth(left, up, x >= channels ? (above[x - channels] ?? 0) : 0);
    }
  }
  return pixels;
}

/** Each k x k box averaged into one pixel, the rows filtered with Paeth, ready to deflate. */
function shrink(
  pixels: Uint8Array,
  size: { width: number; height: number; channels: number },
  factor: number,
) {
  const { width, height, channels } = size;
  const toWidth = Math.ceil(width / factor);
  const toHeight = Math.ceil(height / factor);
  const stride = toWidth * channels;
  const filtered = new Uint8Array(toHeight * (stride + 1));
  const sums = new Uint32Array(stride);
  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  for (let y = 0; y < toHeight; y++) {
    sums.fill(0);
    const last = Math.min(height, (y + 1) * factor);
    for (let row = y * factor; row < last; row++) {
      const offset = row * width * channels;
      for (let box = 0; box < toWidth; box++) {
        const end = offset + Math.min(width, (box + 1) * factor) * channels;
        for (let at = offset + box * factor * channels; at < end; at += channels) {
          for (let channel = 0; channel < channels; channel++) {
            const sum = box * channels + channel;
            sums[sum] = (sums[sum] ?? 0) + (pixels[at + channel] ?? 0);
          }
        }
      }
    }
    const rows = last - y * factor;
    for (let box = 0; box < toWidth; box++) {
      const count = rows * (Math.min(width, (box + 1) * factor) - box * factor);
      for (let channel = 0; channel < channels; channel++) {
        const at = box * channels + channel;
        current[at] = Math.round((sums[at] ?? 0) / count);
      }
    }
    const line = y * (stride + 1);
    filtered[line] = 4;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (current[x - channels] ?? 0) : 0;
      const upLeft = x >= channels ? (previous[x - channels] ?? 0) : 0;
      filtered[line + 1 + x] = (current[x] ?? 0) - paeth(left, previous[x] ?? 0, upLeft);
    }
    [previous, current] = [current, previous];
  }
  return { filtered, toWidth, toHeight };
}

/**
 * The largest copy, 1/2, 1/3, ... of the original's width and height, that is at most `maxBytes`;
 * undefined when the PNG is not one this reads, or no copy down to 1/16 fits.
 */
export async function downscalePng(
  png: Uint8Array,
  maxBytes: number,
): Promise<PngRendition | undefined> {
  const chunks = readChunks(png);
  const header = chunks?.[0];
  if (chunks === undefined || header?.type !== "IHDR" || header.data.length !== 13)
    return undefined;
  const view = new DataView(header.data.buffer, header.data.byteOffset, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colourType, , , interlace] = header.data.subarray(8);
  const channels = CHANNELS[colourType ?? -1];
  if (bitDepth !== 8 || channels === undefined || interlace !== 0) return undefined;
  const idat = concat(chunks.filter((chunk) => chunk.type === "IDAT").map((chunk) => chunk.data));
  let raw: Uint8Array;
  try {
    raw = await transform(idat, new DecompressionStream("deflate"));
  } catch {
    return undefined;
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) return undefined;
  const pixels = unfilter(raw, height, stride, channels);
  // Every other chunk goes along, on the same side of the image data as in the original.
  const firstData = chunks.findIndex((chunk) => chunk.type === "IDAT");
  const others = (before: boolean) =>
    chunks
      .filter(
        (chunk, index) =>
          !["IHDR", "IDAT", "IEND"].includes(chunk.type) && index < firstData === before,
      )
      .map(writeChunk);
  const [beforeData, afterData] = [others(true), others(false)];
  for (let factor = 2; factor <= MAX_FACTOR; factor++) {
    const { filtered, toWidth, toHeight } = shrink(pixels, { width, height, channels }, factor);
    const ihdr = new Uint8Array(header.data);
    new DataView(ihdr.buffer).setUint32(0, toWidth);
    new DataView(ihdr.buffer).setUint32(4, toHeight);
    const data = concat([
      Uint8Array.from(SIGNATURE),
      writeChunk({ type: "IHDR", data: ihdr }),
      ...beforeData,
      writeChunk({
        type: "IDAT",
        data: await transform(filtered, new CompressionStream("deflate")),
      }),
      ...afterData,
      writeChunk({ type: "IEND", data: new Uint8Array(0) }),
    ]);
    if (data.length <= maxBytes) {
      return { data, width: toWidth, height: toHeight, fromWidth: width, fromHeight: height };
    }
  }
  return undefined;
}
