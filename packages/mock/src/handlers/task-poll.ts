// GET /async-result/{id}: a submitted task, PROCESSING for its first polls (and until a slow
// task's time is up), then SUCCESS with its image, or FAIL.
import { admitApiCall } from "../api-call.ts";
import { sendError, sendJson } from "../http-io.ts";
import { API_PATH } from "../zhipu-api.ts";
import type { Handler } from "./handler.ts";

export const handleTaskPoll: Handler = (state, request, response, url) => {
  const path = url.pathname;
  if (!admitApiCall(state, request, response, { method: "GET", path })) return;
  const id = decodeURIComponent(path.slice(`${API_PATH}/async-result/`.length));
  const task = state.tasks.get(id);
  if (!task) return sendError(response, 404, "1214", `任务不存在: ${id}`);
  task.polls++;
  if (task.polls <= state.pollsUntilDone || Date.now() < task.readyAt) {
    return sendJson(response, 200, { id, model: task.model, task_status: "PROCESSING" });
  }
  if (task.fail) {
    return sendJson(response, 200, {
      id,
      model: task.model,
      task_status: "FAIL",
      error: { code: "500", message: "图片生成失败" },
    });
  }
  sendJson(response, 200, {
    id,
    model: task.model,
    task_status: "SUCCESS",
    created: task.created,
    image_result: task.url === undefined ? [] : [{ url: task.url }],
    content_filter: task.contentFilter,
  });
};
