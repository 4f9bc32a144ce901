import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import { CELL, drawText, fillRect } from "./bitmap-font.ts";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

function png(width: number, height: number, raw: Buffer, level: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const WHITE = [255, 255, 255] as const;
const INK = [17, 24, 39] as const;

/**
 * A real PNG of the given size: a gradient whose colours come from the seed, with the word MOCK
 * and `lines` (caption.ts: the prompt's first words, or its content key and size) written on a
 * dark band, so that a person sees which request made it. Deterministic: the same arguments give
 * the same bytes.
 */
export function placeholderPng(
  width: number,
  height: number,
  seed: string,
  lines: readonly string[] = [],
): Buffer {
  // Two colours from the seed, blended along the diagonal: smooth, and different per prompt.
  const digest = createHash("sha256").update(seed).digest();
  const from = [digest[0] ?? 0, digest[1] ?? 0, digest[2] ?? 0];
  const to = [digest[3] ?? 0, digest[4] ?? 0, digest[5] ?? 0];
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const offset = row + 1 + x * 3;
      const mix = (x / width + y / height) / 2;
      for (let channel = 0; channel < 3; channel++) {
        raw[offset + channel] = Math.round(
          (from[channel] ?? 0) * (1 - mix) + (to[channel] ?? 0) * mix,
        );
      }
    }
  }
  const canvas = { raw, width, height, stride };
  const columns = 18;
  const scale = Math.max(1, Math.floor((width * 0.8) / (columns * CELL)));
  const big = scale * 2;
  const bandHeight = (7 + 4) * big + lines.length * 10 * scale + 4 * scale;
  const top = Math.max(0, Math.floor((height - bandHeight) / 2));
  fillRect(canvas, 0, top, width, top + bandHeight, INK);
  const centred = (length: number, size: number) =>
    Math.floor((width - (length * CELL - 1) * size) / 2);
  drawText(canvas, "MOCK", centred(4, big), top + 2 * big, big, WHITE);
  lines.forEach((line, index) => {
    const y = top + (7 + 4) * big + index * 10 * scale;
    drawText(canvas, line, centred(line.length, scale), y, scale, WHITE);
  });
  return png(width, height, raw, 1);
}

/** A valid PNG of about `mebibytes` MiB: noise stored uncompressed, so it cannot shrink. */
export function largePng(mebibytes: number, seed: string): Buffer {
  const width = 1024;
  const stride = width * 3 + 1;
  const height = Math.max(1, Math.round((mebibytes * 1024 * 1024) / stride));
  const raw = Buffer.alloc(stride * height);
  let state = createHash("sha256").update(seed).digest().readUInt32BE(0) || 1;
  for (let offset = 0; offset < raw.length; offset += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    raw.writeUInt32LE(state >>> 0, Math.min(offset, raw.length - 4));
  }
  for (let y = 0; y < height; y++) raw[y * stride] = 0;
  return png(width, height, raw, 0);
}

/** A real 1x1 grey baseline JPEG, built by hand: what ZhiPu's host has served labelled image/png. */
export const tinyJpeg = Buffer.from([
  0xff,
  0xd8, // SOI
  0xff,
  0xdb,
  0x00,
  0x43,
  0x00,
  ...new Array<number>(64).fill(1), // DQT
  0xff,
  0xc0,
  0x00,
  0x0b,
  0x08,
  0x00,
  0x01,
  0x00,
  0x01,
  0x01,
  0x01,
  0x11,
  0x00, // SOF0 1x1 grey
  0xff,
  0xc4,
  0x00,
  0x14,
  0x00,
  1,
  ...new Array<number>(15).fill(0),
  0x00, // DHT DC: one code, category 0
  0xff,
  0xc4,
  0x00,
  0x14,
  0x10,
  1,
  ...new Array<number>(15).fill(0),
  0x00, // DHT AC: one code, EOB
  0xff,
  0xda,
  0x00,
  0x08,
  0x01,
  0x01,
  0x00,
  0x00,
  0x3f,
  0x00, // SOS
  0x3f, // DC 0, EOB, padded with ones
  0xff,
  0xd9, // EOI
]);
