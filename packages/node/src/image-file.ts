import { open } from "node:fs/promises";
import { type ImageType, sniffImageType } from "@glm-image/core";

const PNG_END = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/**
 * The type of an image file that is there and whole (PNG ending in IEND, JPEG in EOI, WebP as
 * long as its RIFF header says), read from its first and last bytes only; otherwise undefined.
 */
export async function wholeImageType(path: string): Promise<ImageType | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    if (size < 24) return undefined;
    const head = new Uint8Array(12);
    const tail = new Uint8Array(12);
    await handle.read(head, 0, 12, 0);
    await handle.read(tail, 0, 12, size - 12);
    const type = sniffImageType(head);
    if (type?.extension === "png" && PNG_END.every((byte, index) => tail[index] === byte)) {
      return type;
    }
    if (type?.extension === "jpg" && tail[10] === 0xff && tail[11] === 0xd9) return type;
    if (type?.extension === "webp") {
      const riffSize = new DataView(head.buffer).getUint32(4, true);
      if (riffSize + 8 === size) return type;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => {});
  }
}
