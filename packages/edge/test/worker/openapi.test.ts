// The OpenAPI document as /openapi.json serves it: every parameter and property described, and
// each route declaring only the errors it can give.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Operation {
  parameters?: Array<{ name: string; in: string; description?: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let document: OpenApi;
beforeAll(async () => {
  document = (await (await SELF.fetch("http://edge.test/openapi.json")).json()) as OpenApi;
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

/** Where a property has no description: `Schema.field.inner` paths. */
function undescribed(schema: Schema | undefined, where: string): string[] {
  if (!schema) return [];
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    ...(property.description ? [] : [`${where}.${name}`]),
    ...undescribed(property, `${where}.${name}`),
  ]);
  const nested = [schema.items, ...(schema.allOf ?? []), ...(schema.anyOf ?? [])]
    .concat(schema.oneOf ?? [])
    .flatMap((inner) => undescribed(inner, where));
  return [...own, ...nested];
}

describe("/openapi.json", () => {
  it("describes every parameter and every property", () => {
    const missing = [
      ...Object.entries(document.components.schemas).flatMap(([name, schema]) =>
        undescribed(schema, name),
      ),
      ...operations().flatMap(({ route, operation }) => [
        ...(operation.parameters ?? [])
          .filter((parameter) => !parameter.description)
          .map((parameter) => `${route} parameter ${parameter.name} (${parameter.in})`),
        ...Object.values(operation.requestBody?.content ?? {}).flatMap(({ schema }) =>
          undescribed(schema, `${route} body`),
        ),
        ...Object.entries(operation.responses).flatMap(([status, answer]) =>
          Object.values(answer.content ?? {}).flatMap(({ schema }) =>
            undescribed(schema, `${route} ${status}`),
          ),
        ),
      ]),
    ];
    expect(missing).toEqual([]);
  });

  it("declares for each route only the errors it can give", () => {
    // What each route can answer, from its code: the bearer token and its rate limit on /v1/
    // (401, 429), the body limit on POST /v1/ (413), validation (400), the signature (403),
    // SIGNING_SECRET missing or no such image (404), paid work (429 budgets, 502, 503).
    const errors: Record<string, string[]> = {
      "POST /v1/images/generations": ["400", "401", "413", "422", "429", "502", "503"],
      "GET /images/{file}": ["404", "503"],
      "GET /v1/images/{key}": ["400", "401", "404", "429", "503"],
      "DELETE /v1/images/{key}": ["400", "401", "404", "429", "503"],
      "GET /v1/images": ["400", "401", "403", "429", "503"],
      "GET /render": ["400", "403", "404", "429", "502", "503"],
      "POST /v1/render-urls": ["400", "401", "404", "413", "429"],
      "GET /v1/models/{id}": ["401", "404", "429"],
      "GET /v1/models": ["401", "429"],
      "GET /v1/usage": ["401", "404", "429"],
      "GET /healthz": [],
      "GET /": [],
      "GET /docs": [],
      "GET /openapi.json": [],
    };
    const declared = Object.fromEntries(
      operations().map(({ route, operation }) => [
        route,
        Object.keys(operation.responses).filter((status) => Number(status) >= 400),
      ]),
    );
    expect(declared).toEqual(errors);
    for (const { route, operation } of operations()) {
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(answer.content?.["application/json"], `${route} ${status}`).toBeDefined();
        // Each is described as it happens there, naming the contract's codes.
        expect(answer.description, `${route} ${status}`).toMatch(/`[A-Za-z_]+`/);
      }
    }
  });
});
