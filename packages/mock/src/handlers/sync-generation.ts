// POST /images/generations: the image's URL at once. A slow task (slow-task) is waited for.
import { setTimeout as wait } from "node:timers/promises";
import { serveGeneration } from "../generation.ts";
import { sendPaidAnswer } from "../paid-answer.ts";
import type { Handler } from "./handler.ts";

export const handleSyncGeneration: Handler = (state, request, response, url) =>
  serveGeneration(state, request, response, url.pathname, async (generation) => {
    const { scenario, imageUrl, contentFilter, lost } = generation;
    if (scenario?.kind === "slow-task") await wait(scenario.ms);
    const created = Math.floor(Date.now() / 1000);
    state.generations++;
    const answer = {
      created,
      data: imageUrl === undefined ? [] : [{ url: imageUrl }],
      content_filter: contentFilter,
    };
    sendPaidAnswer(request, response, answer, lost, "url");
  });
