// The Deno entry's stand-in for Workers static assets: the files of packages/edge/public, served
// before the app as Cloudflare serves them before the Worker (`/` is index.html, `/docs` is
// docs.html), so both runtimes answer the same paths from the same files.
import { readFile } from "node:fs/promises";

const types: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  png: "image/png",
  svg: "image/svg+xml",
};

/** The file a path names in the directory, or none (dotfiles, `..` and unknown types are none). */
function fileOf(pathname: string): string[] {
  if (!/^(\/[a-z0-9][a-z0-9._-]*)*\/?$/i.test(pathname) || pathname.includes("..")) return [];
  if (pathname === "/") return ["index.html"];
  const name = pathname.slice(1).replace(/\/$/, "");
  return /\.[a-z0-9]+$/i.test(name) ? [name] : [`${name}.html`, `${name}/index.html`];
}

type Fetch<Rest extends unknown[]> = (
  request: Request,
  ...rest: Rest
) => Response | Promise<Response>;

/** Answers GET and HEAD for the files of `directory`; hands every other request to `next`. */
export function withStaticAssets<Rest extends unknown[]>(
  directory: URL,
  next: Fetch<Rest>,
): Fetch<Rest> {
  return async (request, ...rest) => {
    if (request.method === "GET" || request.method === "HEAD") {
      for (const name of fileOf(new URL(request.url).pathname)) {
        const type = types[name.split(".").pop() ?? ""];
        const bytes = type
          ? await readFile(new URL(name, directory).pathname).catch(() => null)
          : null;
        if (type && bytes) {
          return new Response(request.method === "HEAD" ? null : bytes, {
            headers: {
              "content-type": type,
              "content-length": String(bytes.length),
              "cache-control": "public, max-age=0, must-revalidate",
              "x-content-type-options": "nosniff",
            },
          });
        }
      }
    }
    return next(request, ...rest);
  };
}
