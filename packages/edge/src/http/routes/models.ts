import { DEFAULT_MODEL, modelNames, modelRules } from "@glm-image/core";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../deps.ts";
import { openAiModels } from "../wire/openai.ts";
import { errorAnswers, jsonAnswer, modelListSchema, tokenErrors } from "../wire/schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/models",
  summary: "The models, in OpenAI's list shape, with their sizes and qualities",
  security: [{ bearer: [] }],
  responses: {
    200: jsonAnswer("The models", modelListSchema),
    ...errorAnswers(tokenErrors),
  },
});

/** A fixed date: the list describes the API's models, not when this service started. */
const CREATED = Math.floor(Date.parse("2026-01-14T00:00:00Z") / 1000);

export const modelList = {
  object: "list" as const,
  data: modelNames.map((id) => {
    const rules = modelRules[id];
    return {
      id,
      object: "model" as const,
      created: CREATED,
      owned_by: "zhipu",
      default_size: rules.defaultSize,
      recommended_sizes: [...rules.recommendedSizes],
      qualities: [...rules.qualities],
      default_quality: rules.defaultQuality,
      aliases: id === DEFAULT_MODEL ? [...openAiModels] : [],
    };
  }),
};

export function registerModels(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, (context) => context.json(modelList, 200));
}
