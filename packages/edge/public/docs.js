// A small reader of the service's own OpenAPI document: every route, its parameters, body and
// answers. No CDN, no library: the docs work offline and cost the Worker nothing.
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

const schemaBlock = (label, schema, components) =>
  element(
    "details",
    {},
    element("summary", {}, label),
    element("pre", {}, JSON.stringify(resolve(schema, components), null, 2)),
  );

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
    element("p", {}, operation.summary ?? ""),
    operation.description ? element("p", { class: "help" }, operation.description) : null,
  );
  const parameters = operation.parameters ?? [];
  if (parameters.length) {
    section.append(
      element(
        "table",
        {},
        element(
          "tr",
          {},
          element("th", {}, "Parameter"),
          element("th", {}, "In"),
          element("th", {}, ""),
        ),
        ...parameters.map((parameter) =>
          element(
            "tr",
            {},
            element("td", {}, element("code", {}, parameter.name)),
            element("td", {}, parameter.in),
            element(
              "td",
              {},
              `${parameter.required ? "required. " : ""}${parameter.description ?? parameter.schema?.description ?? ""}`,
            ),
          ),
        ),
      ),
    );
  }
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  if (body) section.append(schemaBlock("Request body (JSON)", body, components));
  for (const [status, answer] of Object.entries(operation.responses ?? {})) {
    const types = Object.keys(answer.content ?? {});
    const json = answer.content?.["application/json"]?.schema;
    const line = `${status}: ${answer.description}${types.length ? ` (${types.join(", ")})` : ""}`;
    section.append(
      json && status < 300
        ? schemaBlock(line, json, components)
        : element("p", { class: "help" }, line),
    );
  }
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
  $("description").textContent = document_.info.description ?? "";
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
