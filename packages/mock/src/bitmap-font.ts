// A 5x7 bitmap font for the mock's images: enough letters to say MOCK and the prompt's first
// words, drawn into raw RGB rows without any image library.

/** Each glyph: 7 rows, 5 bits per row (the high bit is the left column). */
const glyphs: Record<string, readonly number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 17, 10, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
  "0": [14, 17, 19, 21, 25, 17, 14],
  "1": [4, 12, 4, 4, 4, 4, 14],
  "2": [14, 17, 1, 2, 4, 8, 31],
  "3": [31, 2, 4, 2, 1, 17, 14],
  "4": [2, 6, 10, 18, 31, 2, 2],
  "5": [31, 16, 30, 1, 1, 17, 14],
  "6": [6, 8, 16, 30, 17, 17, 14],
  "7": [31, 1, 2, 4, 8, 8, 8],
  "8": [14, 17, 17, 14, 17, 17, 14],
  "9": [14, 17, 17, 15, 1, 2, 12],
  " ": [0, 0, 0, 0, 0, 0, 0],
  "-": [0, 0, 0, 31, 0, 0, 0],
  ".": [0, 0, 0, 0, 0, 12, 12],
  ",": [0, 0, 0, 0, 12, 4, 8],
  "!": [4, 4, 4, 4, 4, 0, 4],
  "?": [14, 17, 1, 2, 4, 0, 4],
  "'": [4, 4, 8, 0, 0, 0, 0],
  ":": [0, 12, 12, 0, 12, 12, 0],
  "#": [10, 10, 31, 10, 31, 10, 10],
  "[": [14, 8, 8, 8, 8, 8, 14],
  "]": [14, 2, 2, 2, 2, 2, 14],
  "=": [0, 0, 31, 0, 31, 0, 0],
  "(": [2, 4, 8, 8, 8, 4, 2],
  ")": [8, 4, 2, 2, 2, 4, 8],
  "/": [0, 1, 2, 4, 8, 16, 0],
  "&": [12, 18, 20, 8, 21, 18, 13],
  "+": [0, 4, 4, 31, 4, 4, 0],
  '"': [10, 10, 0, 0, 0, 0, 0],
  _: [0, 0, 0, 0, 0, 0, 31],
};

/** Width of one character cell in font pixels: 5 columns and a gap. */
export const CELL = 6;

/** Whether the font has a glyph for every character of `text` (letters in any case; whitespace). */
export const canDraw = (text: string) =>
  [...text.toUpperCase()].every((character) => character in glyphs || /\s/.test(character));

/** Text the font can draw: upper case, anything else a `?`. */
export const drawable = (text: string) =>
  [...text.toUpperCase()].map((character) => (character in glyphs ? character : "?")).join("");

export interface Canvas {
  raw: Buffer;
  width: number;
  height: number;
  /** Bytes per row, the PNG filter byte included. */
  stride: number;
}

/** Fills a rectangle (clipped to the canvas) with one colour. */
export function fillRect(
  canvas: Canvas,
  left: number,
  top: number,
  right: number,
  bottom: number,
  rgb: readonly [number, number, number],
): void {
  for (let y = Math.max(0, top); y < Math.min(canvas.height, bottom); y++) {
    for (let x = Math.max(0, left); x < Math.min(canvas.width, right); x++) {
      const offset = y * canvas.stride + 1 + x * 3;
      canvas.raw[offset] = rgb[0];
      canvas.raw[offset + 1] = rgb[1];
      canvas.raw[offset + 2] = rgb[2];
    }
  }
}

/** Draws `text` with its top-left corner at (left, top), each font pixel `scale` pixels wide. */
export function drawText(
  canvas: Canvas,
  text: string,
  left: number,
  top: number,
  scale: number,
  rgb: readonly [number, number, number],
): void {
  [...drawable(text)].forEach((character, index) => {
    const rows = glyphs[character] ?? [];
    rows.forEach((bits, row) => {
      for (let column = 0; column < 5; column++) {
        if (!(bits & (16 >> column))) continue;
        const x = left + (index * CELL + column) * scale;
        const y = top + row * scale;
        fillRect(canvas, x, y, x + scale, y + scale, rgb);
      }
    });
  });
}
