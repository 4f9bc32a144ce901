import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { StoredImage } from "@glm-image/mcp";
import { storedImageSchema } from "@glm-image/mcp";
import { wholeImageType } from "@glm-image/node";
import * as z from "zod";

/**
 * What `glm-image mcp` keeps of each image beside it: the image's fields, its file's name in the
 * folder, and the edge's permanent URL when an edge made it (a file:// URI is made from the
 * folder's place now, so a moved folder still answers right).
 */
const recordSchema = storedImageSchema.omit({ url: true }).extend({
  file: z.string().min(1),
  edge_url: z.string().optional(),
});
export type KeptRecord = z.infer<typeof recordSchema>;

/** Content keys are hex digests: nothing else names a record (no path in a key). */
const KEY = /^[0-9a-f]{16,128}$/;

/**
 * The images of one folder, as `glm-image mcp` keeps them: the image files (named as --out-dir
 * names them), and one small JSON record per image under `.glm-image/images/`, each written
 * whole (a temporary file renamed over it), so that two servers on one folder never clash. A
 * record whose file is gone or damaged is no image.
 */
export function keptImages(folder: string) {
  const records = join(folder, ".glm-image", "images");
  const recordOf = (key: string) => join(records, `${key}.json`);

  const toStored = ({ file, edge_url, ...fields }: KeptRecord): StoredImage => ({
    ...fields,
    url: edge_url ?? pathToFileURL(join(folder, file)).href,
  });

  async function read(key: string): Promise<KeptRecord | undefined> {
    if (!KEY.test(key)) return undefined;
    let text: string;
    try {
      text = await readFile(recordOf(key), "utf8");
    } catch {
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return undefined;
    }
    const record = recordSchema.safeParse(data);
    if (!record.success || record.data.key !== key) return undefined;
    return (await wholeImageType(join(folder, record.data.file))) ? record.data : undefined;
  }

  return {
    folder,
    /** The path of a record's image file. */
    pathOf: (record: KeptRecord) => join(folder, record.file),
    toStored,
    read,
    async get(key: string): Promise<StoredImage | undefined> {
      const record = await read(key);
      return record && toStored(record);
    },
    /** Records an image whose file is whole in the folder. */
    async put(image: Omit<KeptRecord, "file">, path: string): Promise<StoredImage> {
      const record: KeptRecord = { ...image, file: basename(path) };
      await mkdir(records, { recursive: true });
      const temporary = `${recordOf(image.key)}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, `${JSON.stringify(record)}\n`);
      await rename(temporary, recordOf(image.key));
      return toStored(record);
    },
    /** Every image whose file is still whole, newest first. */
    async list(): Promise<StoredImage[]> {
      const names = await readdir(records).catch(() => [] as string[]);
      const found = await Promise.all(
        names
          .filter((name) => name.endsWith(".json"))
          .map((name) => read(name.slice(0, -".json".length))),
      );
      return found
        .filter((record): record is KeptRecord => record !== undefined)
        .sort((a, b) => b.created - a.created || (a.key < b.key ? -1 : 1))
        .map(toStored);
    },
    /** Removes the image's file and its record; false when there was no such image. */
    async remove(key: string): Promise<boolean> {
      const record = await read(key);
      if (!record) return false;
      await rm(join(folder, record.file), { force: true });
      await rm(recordOf(key), { force: true });
      return true;
    },
  };
}

export type KeptImages = ReturnType<typeof keptImages>;
