import { join } from "node:path";
import type { GenerationRequest } from "@glm-image/core";
import { wholeImageType } from "@glm-image/node";
import { imageFileName } from "./file-name.ts";

const EXTENSIONS = ["png", "jpg", "webp"] as const;

/** The file an --out-dir folder holds for this request, once the image's extension is known. */
export function outDirName(folder: string, request: GenerationRequest, key: string) {
  return (extension: string) => join(folder, imageFileName(request.prompt, key, extension));
}

/**
 * An image of this request that is already in the folder and whole, under any image extension:
 * it is answered without paying again.
 */
export async function wholeImageIn(folder: string, request: GenerationRequest, key: string) {
  const nameFor = outDirName(folder, request, key);
  for (const extension of EXTENSIONS) {
    const path = nameFor(extension);
    const type = await wholeImageType(path);
    if (type?.extension === extension) return { path, contentType: type.contentType };
  }
  return undefined;
}
