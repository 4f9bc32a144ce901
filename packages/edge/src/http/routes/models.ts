import { DEFAULT_MODEL, GlmImageError, modelNames, modelRules } from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../deps.ts";
import { openAiModels } from "../wire/openai.ts";
import {
  errorAnswers,
  jsonAnswer,
  modelListSchema,
  modelSchema,
  tokenErrors,
} from "../wire/schemas.ts";

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

const oneRoute = createRoute({
  method: "get",
  path: "/v1/models/{id}",
  summary:
    "One model, in OpenAI's model shape: ZhiPu's names, and OpenAI's, which mean the default model",
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      id: z.string().openapi({ description: "A model name, e.g. `glm-image` or `gpt-image-1`" }),
    }),
  },
  responses: {
    200: jsonAnswer("The model", modelSchema),
    ...errorAnswers({ ...tokenErrors, 404: "`not_found`: no model of that name" }),
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
  app.openapi(oneRoute, (context) => {
    const { id } = context.req.valid("param");
    const alias = (openAiModels as readonly string[]).includes(id);
    const model = modelList.data.find((entry) => entry.id === (alias ? DEFAULT_MODEL : id));
    if (!model) {
      throw new GlmImageError(
        "not_found",
        `No model ${JSON.stringify(id)}; the models are ${modelNames.join(", ")} (and OpenAI's ${openAiModels.join(", ")}, which mean ${DEFAULT_MODEL})`,
        { param: "id" },
      );
    }
    // An OpenAI name answers as itself (clients check the id they asked for), with what it means.
    return context.json(alias ? { ...model, id, aliases: [] } : model, 200);
  });
}
