// The downscaler against an independent PNG codec (sharp, libvips and libpng): sharp writes the
// originals (with libpng's adaptive filters, so every filter type is met) and reads the copies.
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { downscalePng } from "./png-rendition.ts";

interface Chunk {
  type: string;
  data: Buffer;
}

function chunksOf(png: Uint8Array): Chunk[] {
  const buffer = Buffer.from(png);
  const chunks: Chunk[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString("latin1", offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    expect(buffer.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(
      crc32(buffer.subarray(offset + 4, offset + 8 + length)),
    );
    chunks.push({ type, data });
    offset += 12 + length;
  }
  return chunks;
}

function encodeChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

const text = (keyword: string, value: string) =>
  encodeChunk("tEXt", Buffer.from(`${keyword}\0${value}`, "latin1"));

/** A noisy gradient, so that every filter type is worth choosing and nothing compresses away. */
function pixels(width: number, height: number, channels: number): Buffer {
  const data = Buffer.alloc(width * height * channels);
  let state = 12345;
  for (let index = 0; index < data.length; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const x = Math.floor(index / channels) % width;
    data[index] = (x * 2 + (index % channels) * 40 + (state % 24)) & 0xff;
  }
  return data;
}

/** A PNG from sharp with an AI label before the image data and a comment after it. */
async function labelledPng(width: number, height: number, channels: 3 | 4): Promise<Buffer> {
  const png = await sharp(pixels(width, height, channels), { raw: { width, height, channels } })
    .png({ adaptiveFiltering: true, compressionLevel: 9 })
    .toBuffer();
  const chunks = chunksOf(png);
  return Buffer.concat([
    png.subarray(0, 8),
    ...chunks.flatMap((chunk) => {
      const encoded = encodeChunk(chunk.type, chunk.data);
      if (chunk.type === "IHDR")
        return [encoded, text("AIGC", '{"Label":"1","ContentProducer":"zhipu"}')];
      if (chunk.type === "IEND") return [text("Comment", "kept"), encoded];
      return [encoded];
    }),
  ]);
}

const paeth = (left: number, up: number, upLeft: number) => {
  const estimate = left + up - upLeft;
  const [a, b, c] = [left, up, upLeft].map((value) => Math.abs(estimate - value));
  return (a ?? 0) <= (b ?? 0) && (a ?? 0) <= (c ?? 0) ? left : (b ?? 0) <= (c ?? 0) ? up : upLeft;
};

/** A PNG whose rows use the five filter types in turn (libpng may never pick some of them). */
function everyFilterPng(width: number, height: number, channels: 3 | 4): Buffer {
  const source = pixels(width, height, channels);
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = y * stride + x;
      const left = x >= channels ? (source[at - channels] ?? 0) : 0;
      const up = y > 0 ? (source[at - stride] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (source[at - stride - channels] ?? 0) : 0;
      const predicted = [0, left, up, (left + up) >>> 1, paeth(left, up, upLeft)][filter] ?? 0;
      raw[y * (stride + 1) + 1 + x] = ((source[at] ?? 0) - predicted) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = channels === 4 ? 6 : 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    encodeChunk("IHDR", header),
    encodeChunk("IDAT", deflateSync(raw)),
    encodeChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** What a k x k box average of the original gives, pixel by pixel. */
function boxAverage(
  source: Buffer,
  size: { width: number; height: number; channels: number },
  k: number,
) {
  const { width, height, channels } = size;
  const toWidth = Math.ceil(width / k);
  const toHeight = Math.ceil(height / k);
  const out = Buffer.alloc(toWidth * toHeight * channels);
  for (let y = 0; y < toHeight; y++) {
    for (let x = 0; x < toWidth; x++) {
      for (let channel = 0; channel < channels; channel++) {
        let sum = 0;
        let count = 0;
        for (let dy = 0; dy < k && y * k + dy < height; dy++) {
          for (let dx = 0; dx < k && x * k + dx < width; dx++) {
            sum += source[((y * k + dy) * width + x * k + dx) * channels + channel] ?? 0;
            count++;
          }
        }
        out[(y * toWidth + x) * channels + channel] = Math.round(sum / count);
      }
    }
  }
  return out;
}

describe("downscalePng", () => {
  it.each([
    [300, 200, 4],
    [301, 199, 3],
  ] as const)(
    "makes a %ix%i (%i channels) image smaller, box-averaged, within the limit",
    async (width, height, channels) => {
      const original = await labelledPng(width, height, channels);
      const maxBytes = Math.floor(original.length / 5);
      const copy = await downscalePng(original, maxBytes);
      expect(copy).toBeDefined();
      if (!copy) return;
      expect(copy.data.length).toBeLessThanOrEqual(maxBytes);
      expect([copy.fromWidth, copy.fromHeight]).toEqual([width, height]);
      const factor = Math.ceil(width / copy.width);
      expect([copy.width, copy.height]).toEqual([
        Math.ceil(width / factor),
        Math.ceil(height / factor),
      ]);
      expect(factor).toBeGreaterThanOrEqual(2);
      const decoded = await sharp(copy.data).raw().toBuffer({ resolveWithObject: true });
      expect(decoded.info).toMatchObject({ width: copy.width, height: copy.height, channels });
      const expected = boxAverage(
        pixels(width, height, channels),
        { width, height, channels },
        factor,
      );
      expect(decoded.data.equals(expected)).toBe(true);
    },
  );

  it("reads rows of every filter type", async () => {
    const original = everyFilterPng(97, 64, 4);
    const decoded = await sharp(original).raw().toBuffer();
    expect(decoded.equals(pixels(97, 64, 4))).toBe(true);
    const copy = await downscalePng(original, original.length);
    expect(copy && [copy.width, copy.height]).toEqual([49, 32]);
    const shrunk = await sharp(copy?.data).raw().toBuffer();
    expect(
      shrunk.equals(boxAverage(pixels(97, 64, 4), { width: 97, height: 64, channels: 4 }, 2)),
    ).toBe(true);
  });

  it("keeps every metadata chunk, on its side of the image data", async () => {
    const original = await labelledPng(120, 80, 3);
    const copy = await downscalePng(original, original.length - 1);
    const types = (png: Uint8Array) => chunksOf(png).map((chunk) => chunk.type);
    const metadata = (png: Uint8Array) =>
      chunksOf(png)
        .filter((chunk) => !["IHDR", "IDAT", "IEND"].includes(chunk.type))
        .map((chunk) => [chunk.type, chunk.data.toString("latin1")]);
    expect(copy && metadata(copy.data)).toEqual(metadata(original));
    expect(
      copy &&
        types(copy.data)
          .join(" ")
          .replace(/( IDAT)+/, " IDAT"),
    ).toBe(
      types(original)
        .join(" ")
        .replace(/( IDAT)+/, " IDAT"),
    );
    const { comments } = await sharp(copy?.data).metadata();
    expect(comments).toContainEqual({
      keyword: "AIGC",
      text: '{"Label":"1","ContentProducer":"zhipu"}',
    });
  });

  it.each([
    [
      "16-bit",
      () =>
        sharp(pixels(64, 64, 3), { raw: { width: 64, height: 64, channels: 3 } })
          .toColourspace("rgb16")
          .png(),
    ],
    [
      "palette",
      () =>
        sharp(pixels(64, 64, 3), { raw: { width: 64, height: 64, channels: 3 } }).png({
          palette: true,
        }),
    ],
    [
      "interlaced",
      () =>
        sharp(pixels(64, 64, 3), { raw: { width: 64, height: 64, channels: 3 } }).png({
          progressive: true,
        }),
    ],
    [
      "a JPEG",
      () => sharp(pixels(64, 64, 3), { raw: { width: 64, height: 64, channels: 3 } }).jpeg(),
    ],
  ])("answers undefined for %s, which it does not read", async (_, encoder) => {
    const image = await encoder().toBuffer();
    expect(await downscalePng(image, 10)).toBeUndefined();
  });

  it("answers undefined when even 1/16 does not fit", async () => {
    const original = await labelledPng(64, 64, 3);
    expect(await downscalePng(original, 100)).toBeUndefined();
  });
});
