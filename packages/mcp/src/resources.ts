// Reference data for the model, from core's tables: the sizes each model takes, and the prices.
import { describeSizeRule, modelNames, modelRules, PRICES_AS_OF, prices } from "@glm-image/core";
import type { McpServer } from "@modelcontextprotocol/server";

export const SIZES_URI = "glm-image://sizes";
export const PRICES_URI = "glm-image://prices";

export function sizesDocument() {
  return {
    models: Object.fromEntries(
      modelNames.map((model) => {
        const rules = modelRules[model];
        return [
          model,
          {
            default_size: rules.defaultSize,
            recommended_sizes: rules.recommendedSizes,
            size_rule: describeSizeRule(model),
            qualities: rules.qualities,
            default_quality: rules.defaultQuality,
          },
        ];
      }),
    ),
    advice:
      "Pick the size from the intent: 1728x960 (16:9) for a wide banner, 960x1728 for a phone wallpaper, 1280x1280 when nothing is said (glm-image).",
  };
}

export function pricesDocument() {
  return {
    as_of: PRICES_AS_OF,
    per_image: prices,
    note: "List prices per generated image, in Chinese yuan (cny) and US dollars (usd). An image kept already costs nothing.",
  };
}

function registerJson(
  server: McpServer,
  name: string,
  uri: string,
  metadata: { title: string; description: string },
  document: () => unknown,
): void {
  server.registerResource(name, uri, { ...metadata, mimeType: "application/json" }, async () => ({
    contents: [{ uri, mimeType: "application/json", text: JSON.stringify(document(), null, 2) }],
  }));
}

export function registerResources(server: McpServer): void {
  registerJson(
    server,
    "sizes",
    SIZES_URI,
    {
      title: "Sizes per model",
      description:
        "Each model's default and recommended sizes, its rule for other sizes, its qualities",
    },
    sizesDocument,
  );
  registerJson(
    server,
    "prices",
    PRICES_URI,
    { title: "Prices", description: "The list price of one image per model" },
    pricesDocument,
  );
}
