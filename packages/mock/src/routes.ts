// Which handler answers which request: ZhiPu's API, the image URLs it hands out, the control API;
// anything else is 404.
import { handleAsyncSubmission } from "./handlers/async-submission.ts";
import {
  handleQueueScenario,
  handleReadState,
  handleReset,
  handleSetDownloads,
} from "./handlers/control.ts";
import type { Handler } from "./handlers/handler.ts";
import { handleImageDownload } from "./handlers/image-download.ts";
import { handleSyncGeneration } from "./handlers/sync-generation.ts";
import { handleTaskPoll } from "./handlers/task-poll.ts";
import { sendNotFound } from "./http-io.ts";
import { API_PATH } from "./zhipu-api.ts";

interface Route {
  methods: readonly string[];
  /** The path; one ending in `/` takes every path under it. */
  path: string;
  handler: Handler;
}

const routes: Route[] = [
  { methods: ["POST"], path: `${API_PATH}/images/generations`, handler: handleSyncGeneration },
  {
    methods: ["POST"],
    path: `${API_PATH}/async/images/generations`,
    handler: handleAsyncSubmission,
  },
  { methods: ["GET"], path: `${API_PATH}/async-result/`, handler: handleTaskPoll },
  { methods: ["GET", "HEAD"], path: "/files/", handler: handleImageDownload },
  { methods: ["GET"], path: "/__mock/state", handler: handleReadState },
  { methods: ["POST"], path: "/__mock/reset", handler: handleReset },
  { methods: ["POST"], path: "/__mock/scenarios", handler: handleQueueScenario },
  { methods: ["POST"], path: "/__mock/downloads", handler: handleSetDownloads },
];

const answerNotFound: Handler = (_state, _request, response) => sendNotFound(response);

export function handlerFor(method: string | undefined, path: string): Handler {
  const route = routes.find(
    (candidate) =>
      candidate.methods.includes(method ?? "") &&
      (candidate.path.endsWith("/") ? path.startsWith(candidate.path) : path === candidate.path),
  );
  return route?.handler ?? answerNotFound;
}
