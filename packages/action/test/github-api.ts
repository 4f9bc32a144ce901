import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in of the GitHub API the action calls: the REST issue comments (list, create,
 * update) and GraphQL (a branch's head, createCommitOnBranch). It records every call.
 */
export interface GitHubCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Comment {
  id: number;
  body: string;
}

export interface Commit {
  oid: string;
  branch: string;
  expectedHeadOid: string;
  headline: string;
  /** path to contents, decoded from base64. */
  files: Record<string, Buffer>;
  /** Paths the commit removes. */
  deleted: string[];
}

export interface GitHubApi {
  /** For GITHUB_API_URL. */
  url: string;
  /** For GITHUB_GRAPHQL_URL. */
  graphqlUrl: string;
  calls: GitHubCall[];
  comments: Comment[];
  commits: Commit[];
  /** Current head of every branch. */
  heads: Map<string, string>;
  /** Comment writes answer 403, as for a fork's read-only token. */
  readOnly: boolean;
  /** The next createCommitOnBranch finds that someone pushed first: the head moves, STALE_DATA. */
  moveHeadOnce: boolean;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

let counter = 0;
const newOid = () => (++counter).toString(16).padStart(40, "c");

interface GraphqlBody {
  query: string;
  variables: {
    ref?: string;
    input?: {
      branch: { branchName: string };
      expectedHeadOid: string;
      message: { headline: string };
      fileChanges: {
        additions?: Array<{ path: string; contents: string }>;
        deletions?: Array<{ path: string }>;
      };
    };
  };
}

export async function startGitHubApi(): Promise<GitHubApi> {
  const api = {
    calls: [] as GitHubCall[],
    comments: [] as Comment[],
    commits: [] as Commit[],
    heads: new Map<string, string>([["main", newOid()]]),
    readOnly: false,
    moveHeadOnce: false,
  };
  let nextCommentId = 100;

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const body = await readJson(request);
    api.calls.push({
      method: request.method ?? "",
      path: url.pathname,
      authorization: request.headers.authorization,
      body,
    });
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const forbidden = () =>
      json(403, {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest/issues/comments",
        status: "403",
      });
    if (list && request.method === "GET") return json(200, api.comments);
    if (list && request.method === "POST") {
      if (api.readOnly) return forbidden();
      const comment = { id: nextCommentId++, body: (body as { body: string }).body };
      api.comments.push(comment);
      return json(201, comment);
    }
    if (one && request.method === "PATCH") {
      if (api.readOnly) return forbidden();
      const comment = api.comments.find((entry) => entry.id === Number(one[1]));
      if (!comment) return json(404, { message: "Not Found" });
      comment.body = (body as { body: string }).body;
      return json(200, comment);
    }
    if (url.pathname === "/graphql" && request.method === "POST") {
      const { query, variables } = body as GraphqlBody;
      if (query.includes("createCommitOnBranch")) {
        const input = variables.input;
        if (!input) return json(200, { errors: [{ message: "input is required" }] });
        const branch = input.branch.branchName;
        if (api.moveHeadOnce) {
          api.moveHeadOnce = false;
          api.heads.set(branch, newOid());
        }
        const head = api.heads.get(branch);
        if (head !== input.expectedHeadOid) {
          return json(200, {
            data: null,
            errors: [
              {
                type: "STALE_DATA",
                path: ["createCommitOnBranch"],
                message: `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
              },
            ],
          });
        }
        const oid = newOid();
        api.heads.set(branch, oid);
        api.commits.push({
          oid,
          branch,
          expectedHeadOid: input.expectedHeadOid,
          headline: input.message.headline,
          files: Object.fromEntries(
            (input.fileChanges.additions ?? []).map((file) => [
              file.path,
              Buffer.from(file.contents, "base64"),
            ]),
          ),
          deleted: (input.fileChanges.deletions ?? []).map((file) => file.path),
        });
        return json(200, { data: { createCommitOnBranch: { commit: { oid } } } });
      }
      const branch = variables.ref?.replace(/^refs\/heads\//, "") ?? "";
      const oid = api.heads.get(branch);
      return json(200, {
        data: { repository: { ref: oid ? { target: { oid } } : null } },
      });
    }
    json(404, { message: `Not Found: ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(api, {
    url: origin,
    graphqlUrl: `${origin}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
