import type { LockEntry } from "@glm-image/node";
import type { ImageResult } from "./produce.ts";

export interface PreviewOptions {
  /** GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA of the run. */
  env: Record<string, string | undefined>;
  /** The commit that holds the generated images, when they were committed. */
  commitSha: string | undefined;
  /** The edge the images came from: its URLs are permanent. */
  edgeUrl: string | undefined;
}

export interface Previews {
  /** Where to see the image now: a permanent URL where there is one. */
  current(result: ImageResult): string | null;
  /** Where to see the image the run replaced, when it replaced one. */
  replaced(previous: LockEntry | undefined, path: string): string | null;
  /** True for the upstream's temporary URLs (they expire after 30 days). */
  expires(url: string | null): boolean;
}

/**
 * Previews by URL, never inline (the summary is capped at 1 MiB): a file in a commit by its raw
 * URL, an image of the edge by its URL, a new image that is nowhere else by its upstream URL.
 * Skipped images are never shown by an upstream URL, which may have expired long ago.
 */
export function previews(options: PreviewOptions): Previews {
  const repository = options.env.GITHUB_REPOSITORY;
  const server = options.env.GITHUB_SERVER_URL ?? "https://github.com";
  const raw = (ref: string | undefined, path: string) =>
    repository && ref ? `${server}/${repository}/raw/${ref}/${encodeURI(path)}` : null;
  const edge = options.edgeUrl?.replace(/\/+$/, "");
  const permanent = (url: string | null) =>
    url !== null && edge !== undefined && url.startsWith(`${edge}/`) ? url : null;
  return {
    current: (result) =>
      result.status === "skipped"
        ? (raw(options.env.GITHUB_SHA, result.path) ?? permanent(result.image_url))
        : (raw(options.commitSha, result.path) ?? result.image_url),
    replaced: (previous, path) =>
      previous ? (raw(options.env.GITHUB_SHA, path) ?? permanent(previous.image_url)) : null,
    expires: (url) => url !== null && permanent(url) === null && !url.startsWith(`${server}/`),
  };
}
