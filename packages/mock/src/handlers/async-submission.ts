// POST /async/images/generations: a task to poll, PROCESSING. It is paid unless it is to fail;
// a slow task (slow-task) is not ready before its time.
import { randomUUID } from "node:crypto";
import { serveGeneration } from "../generation.ts";
import { sendPaidAnswer } from "../paid-answer.ts";
import type { Handler } from "./handler.ts";

export const handleAsyncSubmission: Handler = (state, request, response, url) =>
  serveGeneration(state, request, response, url.pathname, (generation) => {
    const { scenario, imageUrl, contentFilter, lost } = generation;
    const model = generation.request.model;
    const created = Math.floor(Date.now() / 1000);
    const id = `${Date.now()}-${randomUUID()}`;
    const fail = scenario?.kind === "fail";
    if (!fail) state.generations++;
    const readyAt = Date.now() + (scenario?.kind === "slow-task" ? scenario.ms : 0);
    state.tasks.set(id, {
      polls: 0,
      readyAt,
      model,
      ...(imageUrl === undefined ? {} : { url: imageUrl }),
      created,
      contentFilter,
      fail,
    });
    const task = { id, request_id: randomUUID(), model, task_status: "PROCESSING" };
    sendPaidAnswer(request, response, task, lost, "task_status");
  });
