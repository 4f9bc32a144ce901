/** A file name for --out-dir: a slug of the prompt, then the start of the content key. */
export function imageFileName(prompt: string, key: string, extension: string): string {
  const slug = prompt
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return `${slug || "image"}-${key.slice(0, 12)}.${extension}`;
}
