// A small reader of the service's own OpenAPI document: every route, its parameters, body and
// answers. No CDN, no library: the docs work offline and cost the Worker nothing.
import { inlineMarkdown, markdown } from "./markdown.js";

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/** Replaces `$ref`s with the schemas they name, once (cycles stay as the name). */
function resolve(schema, components, seen = new Set()) {
  if (Array.isArray(schema)) return schema.map((item) => resolve(item, components, seen));
  if (!schema || typeof schema !== "object") return schema;
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop();
    if (seen.has(name)) return `→ ${name}`;
    return resolve(components?.schemas?.[name], components, new Set([...seen, name]));
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, resolve(value, components, seen)]),
  );
}

/** An element whose content is `text` rendered as Markdown (escaped first: see markdown.js). */
function rich(tag, attributes, text, inline = false) {
  const node = element(tag, attributes);
  node.innerHTML = inline ? inlineMarkdown(text ?? "") : markdown(text ?? "");
  return node;
}

/** A schema's type in a few words: `string`, `integer 1-100`, `"url" | "b64_json"`, `array of object`. */
function typeOf(schema = {}) {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.type === "array") return `array of ${typeOf(schema.items)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  const range =
    schema.minimum !== undefined && schema.maximum !== undefined
      ? ` ${schema.minimum}-${schema.maximum}`
      : "";
  return `${type}${range}`;
}

/** Every field of a schema, nested ones as `data[].url`, with whether it is required. */
function fields(schema, prefix = "", depth = 0) {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const own = { path, property, required: required.has(name) };
    if (depth >= 2) return [own];
    if (property.type === "array" && property.items?.properties) {
      return [own, ...fields(property.items, `${path}[].`, depth + 1)];
    }
    if (property.properties) return [own, ...fields(property, `${path}.`, depth + 1)];
    return [own];
  });
}

const headRow = (...names) =>
  element("tr", {}, ...names.map((name) => element("th", { scope: "col" }, name)));

/** A table of a JSON body's fields, and the schema itself behind a disclosure. */
function schemaBlock(label, schema, components) {
  const resolved = resolve(schema, components);
  const rows = fields(resolved).map(({ path, property, required }) =>
    element(
      "tr",
      {},
      element("td", {}, element("code", {}, path)),
      element("td", { class: "type" }, typeOf(property)),
      rich("td", {}, `${required ? "**Required.** " : ""}${property.description ?? ""}`, true),
    ),
  );
  return element(
    "div",
    { class: "schema" },
    rich("h3", {}, label, true),
    rows.length
      ? element("table", {}, headRow("Field", "Type", "Description"), ...rows)
      : element("p", { class: "help" }, typeOf(resolved)),
    element(
      "details",
      {},
      element("summary", {}, "JSON schema"),
      element("pre", {}, JSON.stringify(resolved, null, 2)),
    ),
  );
}

function parameterTable(parameters) {
  return element(
    "table",
    {},
    headRow("Name", "In", "Type", "Description"),
    ...parameters.map((parameter) =>
      element(
        "tr",
        {},
        element("td", {}, element("code", {}, parameter.name)),
        element("td", {}, parameter.in),
        element("td", { class: "type" }, typeOf(parameter.schema)),
        rich(
          "td",
          {},
          `${parameter.required ? "**Required.** " : ""}${parameter.description ?? parameter.schema?.description ?? ""}`,
          true,
        ),
      ),
    ),
  );
}

/** The route's error answers: each status, and what it means on this route. */
function errorList(errors) {
  return element(
    "ul",
    { class: "errors" },
    ...errors.map(([status, answer]) =>
      element(
        "li",
        {},
        element("span", { class: "status" }, status),
        rich("span", {}, answer.description, true),
      ),
    ),
  );
}

function route(path, method, operation, components) {
  const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, "-");
  const section = element(
    "section",
    { class: "route", id },
    element(
      "h2",
      {},
      element("span", { class: `method ${method}` }, method.toUpperCase()),
      path,
      operation.security?.length ? element("span", { class: "lock" }, " · bearer token") : null,
    ),
    rich("p", { class: "summary" }, operation.summary, true),
    operation.description ? rich("div", { class: "description" }, operation.description) : null,
  );
  const parameters = operation.parameters ?? [];
  if (parameters.length)
    section.append(element("h3", {}, "Parameters"), parameterTable(parameters));
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  if (body) section.append(schemaBlock("Request body (JSON)", body, components));
  const answers = Object.entries(operation.responses ?? {});
  for (const [status, answer] of answers.filter(([code]) => Number(code) < 400)) {
    const types = Object.keys(answer.content ?? {});
    const json = answer.content?.["application/json"]?.schema;
    const line = `${status}: ${answer.description}${types.length ? ` (${types.join(", ")})` : ""}`;
    section.append(json ? schemaBlock(line, json, components) : rich("h3", {}, line, true));
  }
  const errors = answers.filter(([code]) => Number(code) >= 400);
  if (errors.length) section.append(element("h3", {}, "Errors"), errorList(errors));
  section.append(tryIt(path, method, operation, components));
  return { id, section };
}

/** A small example body from a JSON schema: examples first, then defaults, then the first enum. */
function example(schema, components) {
  const resolved = resolve(schema, components);
  const required = new Set(resolved?.required ?? []);
  const body = {};
  for (const [name, property] of Object.entries(resolved?.properties ?? {})) {
    const value = property.example ?? property.default ?? property.enum?.[0];
    if (required.has(name) || property.example !== undefined) {
      body[name] = value ?? (property.type === "boolean" ? false : "");
    }
  }
  return body;
}

/** "Try it": fill the parameters (and the body), send, see the answer. The token stays in memory. */
function tryIt(path, method, operation, components) {
  const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in !== "header");
  const inputs = parameters.map((parameter) => {
    const input = element("input", {
      name: parameter.name,
      "aria-label": `${parameter.name} (${parameter.in})`,
    });
    if (parameter.schema?.example !== undefined) input.value = String(parameter.schema.example);
    return { parameter, input };
  });
  const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
  const body = bodySchema
    ? element(
        "textarea",
        { rows: "5", "aria-label": "Request body (JSON)" },
        JSON.stringify(example(bodySchema, components), null, 2),
      )
    : null;
  const send = element("button", { type: "button" }, "Send");
  const answer = element("div", { role: "status", "aria-live": "polite", class: "answer" });
  send.addEventListener("click", async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const { parameter, input } of inputs) {
      if (parameter.in === "path")
        url = url.replace(`{${parameter.name}}`, encodeURIComponent(input.value));
      else if (input.value !== "") query.set(parameter.name, input.value);
    }
    if (query.size) url += `?${query}`;
    answer.textContent = "Sending…";
    try {
      const response = await fetch(url, {
        method: method.toUpperCase(),
        headers: {
          ...($("token").value ? { authorization: `Bearer ${$("token").value}` } : {}),
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: body.value } : {}),
      });
      const type = response.headers.get("content-type") ?? "";
      const status = element(
        "p",
        {},
        `${response.status} ${response.statusText} (${type || "no body"})`,
      );
      if (type.startsWith("image/")) {
        const image = element("img", {
          src: URL.createObjectURL(await response.blob()),
          alt: "The answer",
        });
        answer.replaceChildren(status, image);
      } else {
        const text = await response.text();
        let shown = text;
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch {}
        answer.replaceChildren(status, element("pre", {}, shown.slice(0, 20_000)));
      }
    } catch (error) {
      answer.textContent = `Failed: ${error.message}`;
    }
  });
  return element(
    "details",
    { class: "try" },
    element("summary", {}, "Try it"),
    ...inputs.map(({ parameter, input }) => element("label", {}, `${parameter.name} `, input)),
    body,
    send,
    answer,
  );
}

async function main() {
  const document_ = await (await fetch("/openapi.json")).json();
  $("title").textContent = `${document_.info.title} ${document_.info.version}`;
  $("description").innerHTML = markdown(document_.info.description);
  const sections = [];
  const links = [];
  for (const [path, operations] of Object.entries(document_.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const { id, section } = route(path, method, operation, document_.components);
      sections.push(section);
      links.push(
        element("li", {}, element("a", { href: `#${id}` }, `${method.toUpperCase()} ${path}`)),
      );
    }
  }
  $("index").replaceChildren(...links);
  $("routes").replaceChildren(...sections);
}

main().catch((error) => {
  $("routes").textContent = `Could not read /openapi.json: ${error.message}`;
});
