// The home page: generate, see, copy an embed; the gallery. Talks to the API of the same origin.
// The token lives in sessionStorage (this tab only), never in a URL.
const $ = (id) => document.getElementById(id);
const TOKEN = "glm-image-token";

// `npm start` prints this page's URL with its dev token in the fragment (#token=...), which no
// request carries: keep it in sessionStorage and take it out of the address bar and history.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has("token")) {
  sessionStorage.setItem(TOKEN, fragment.get("token").trim());
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
}
const EXPECTED_SECONDS = 20;
let models = [];
let cursor = null;

const token = () => sessionStorage.getItem(TOKEN) ?? "";

/** Calls the API; resolves to the JSON answer, or throws an Error with the service's message. */
async function api(path, init = {}) {
  const response = await fetch(path, {
    ...init,
    headers: {
      authorization: `Bearer ${token()}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body?.error;
    throw new Error(error ? `${error.message} (${error.code})` : `HTTP ${response.status}`);
  }
  return body;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

/** The recommended sizes of the chosen model; the chosen size stays when the model has it. */
function fillSizes() {
  const model = models.find((entry) => entry.id === $("model").value);
  if (!model) return;
  const current = $("size").value;
  $("size").replaceChildren(
    ...model.recommended_sizes.map((size) => new Option(size.replace("x", " × "), size)),
  );
  $("size").value = model.recommended_sizes.includes(current) ? current : model.default_size;
  shapeFrame();
}

/** The empty frame takes the chosen size's aspect ratio: the image will fill it. */
function shapeFrame() {
  const [width, height] = $("size").value.split("x").map(Number);
  if (width && height) $("placeholder").style.setProperty("--ratio", String(width / height));
}

async function loadModels() {
  models = (await api("/v1/models")).data;
  const current = $("model").value;
  $("model").replaceChildren(...models.map((model) => new Option(model.id, model.id)));
  if (models.some((model) => model.id === current)) $("model").value = current;
  fillSizes();
}

const element = (tag, properties = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/**
 * Delete, quietly, and only after a second, explicit answer: the button (and what is `before` it
 * in the row) becomes "Delete? Yes / No"; No has the focus, Escape is No. A paid image is never
 * removed by one click.
 */
function deleteControl(image, item, ...before) {
  const actions = element("div", { className: "actions" }, ...before);
  const ask = element("button", { type: "button", className: "quiet", textContent: "Delete" });
  ask.setAttribute("aria-label", `Delete ${image.prompt}`);
  const question = element("span", { className: "confirm", textContent: "Delete?" });
  const yes = element("button", { type: "button", className: "danger", textContent: "Yes" });
  yes.setAttribute("aria-label", `Yes, delete ${image.prompt}`);
  const no = element("button", { type: "button", textContent: "No" });
  no.setAttribute("aria-label", `No, keep ${image.prompt}`);
  const confirming = (on) => {
    for (const node of [ask, ...before]) node.hidden = on;
    for (const node of [question, yes, no]) node.hidden = !on;
    (on ? no : ask).focus();
  };
  for (const node of [question, yes, no]) node.hidden = true;
  ask.addEventListener("click", () => confirming(true));
  no.addEventListener("click", () => confirming(false));
  actions.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !yes.hidden) confirming(false);
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await api(`/v1/images/${image.key}`, { method: "DELETE" });
      item.remove();
      if (!$("gallery").children.length)
        $("gallery-empty").textContent = "No images yet: generate one.";
      $("gallery-empty").hidden = $("gallery").children.length > 0;
    } catch (error) {
      yes.disabled = false;
      showError(error.message);
    }
  });
  actions.append(ask, question, yes, no);
  return actions;
}

/** A gallery card: the image, its prompt, model, size and date; Delete (asks first). */
function galleryItem(image) {
  const item = element("li", { className: "card" });
  const picture = element("img", { src: image.url, alt: image.prompt, loading: "lazy" });
  const created = new Date(image.created * 1000);
  const date = element("time", {
    dateTime: created.toISOString(),
    textContent: dateFormat.format(created),
    title: timeFormat.format(created),
  });
  const body = element(
    "div",
    { className: "card-body" },
    element("p", { className: "prompt", title: image.prompt, textContent: image.prompt }),
    element(
      "p",
      { className: "meta" },
      element("span", { className: "chip", textContent: image.model }),
      element("span", { className: "chip", textContent: image.size.replace("x", " × ") }),
    ),
    deleteControl(image, item, date),
  );
  item.append(element("a", { className: "open", href: image.url }, picture), body);
  return item;
}

async function loadGallery(more = false) {
  const query = new URLSearchParams({ limit: "24" });
  if (more && cursor) query.set("cursor", cursor);
  const page = await api(`/v1/images?${query}`);
  const items = page.data.map(galleryItem);
  if (more) $("gallery").append(...items);
  else $("gallery").replaceChildren(...items);
  cursor = page.next_cursor;
  $("more").hidden = !cursor;
  $("gallery-empty").textContent = "No images yet: generate one.";
  $("gallery-empty").hidden = $("gallery").children.length > 0;
}

const sum = (entries, read) => entries.reduce((total, entry) => total + read(entry), 0);

/** Today's usage beside the gallery: the caller's (an admin's: every tenant's together). */
async function loadUsage() {
  const usage = await api("/v1/usage");
  const own = usage.data.find((entry) => entry.tenant === usage.tenant);
  const entries = usage.admin ? usage.data : usage.data.filter((entry) => entry === own);
  const paid = sum(entries, (entry) => entry.paid_generations);
  const cached = sum(entries, (entry) => entry.cached_hits);
  const usd = sum(entries, (entry) => entry.estimated_cost.usd);
  const cny = sum(entries, (entry) => entry.estimated_cost.cny);
  const parts = [
    `${paid} new ${paid === 1 ? "image" : "images"} (US$${usd.toFixed(3)} · ¥${cny.toFixed(2)})`,
    `${cached} from the store`,
  ];
  if (!usage.admin && own && own.daily_limit !== null) {
    parts.push(`${Math.max(0, own.daily_limit - own.paid_generations)} of ${own.daily_limit} left`);
  }
  $("usage").textContent = `Today${usage.admin ? ", every tenant" : ""}: ${parts.join(" · ")}`;
  $("usage").hidden = false;
}

async function connect() {
  if (!token()) return;
  try {
    showError("");
    await Promise.all([loadModels(), loadGallery(), loadUsage()]);
  } catch (error) {
    showError(error.message);
  }
}

/** Shows the seconds since the start against the usual duration while a generation runs. */
function startProgress() {
  const started = Date.now();
  $("progress").hidden = false;
  $("placeholder").hidden = !$("result").hidden;
  const tick = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    $("elapsed").textContent = `Generating… ${seconds} s (usually about ${EXPECTED_SECONDS} s)`;
  };
  tick();
  const timer = setInterval(tick, 1000);
  // Idempotent: called once the image is shown, and again whatever happens.
  return () => {
    clearInterval(timer);
    $("progress").hidden = true;
  };
}

async function generate(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN, $("token").value.trim());
  const request = { prompt: $("prompt").value, model: $("model").value, size: $("size").value };
  showError("");
  $("submit").disabled = true;
  const stop = startProgress();
  try {
    const answer = await api("/v1/images/generations", {
      method: "POST",
      body: JSON.stringify(request),
    });
    const url = answer.data[0].url;
    $("image").src = url;
    $("image").alt = request.prompt;
    $("placeholder").hidden = true;
    $("caption").textContent = `${answer.model} · ${answer.size} · ${answer.quality}`;
    $("result").hidden = false;
    // The image is made: the progress line goes now, not after the embed's warm-up below.
    stop();
    const dark = $("dark").checked;
    const embed = await api("/v1/render-urls", {
      method: "POST",
      body: JSON.stringify({
        ...request,
        quality: answer.quality,
        warm: true,
        ...(dark ? { dark: {} } : {}),
      }),
    });
    const renderUrl = embed.url;
    // The <picture> is the service's (the same snippet the action and MCP write).
    $("picture").value = embed.picture ?? "";
    $("markdown-pair").value = embed.markdown ?? "";
    $("picture-row").hidden = !dark;
    const alt = request.prompt.replace(/[[\]"<>]/g, " ").slice(0, 120);
    const [width, height] = answer.size.split("x");
    $("markdown").value = `![${alt}](${renderUrl})`;
    $("html").value =
      `<img src="${renderUrl.replaceAll("&", "&amp;")}" alt="${alt}" width="${Math.round(width / 2)}" height="${Math.round(height / 2)}">`;
    $("embed").hidden = false;
    // The usage is a side note: it never holds up the gallery, nor fails the generation.
    loadUsage().catch(() => {});
    await loadGallery();
  } catch (error) {
    showError(error.message);
  } finally {
    stop();
    $("submit").disabled = false;
  }
}

async function copy(event) {
  const field = $(event.target.dataset.copy);
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    document.execCommand("copy");
  }
  $("copied").textContent = `${event.target.textContent.replace("Copy ", "")} copied.`;
}

$("token").value = token();
$("token").addEventListener("change", () => {
  if ($("token").value.trim() === token()) return;
  sessionStorage.setItem(TOKEN, $("token").value.trim());
  connect();
});
$("model").addEventListener("change", fillSizes);
$("size").addEventListener("change", shapeFrame);
$("generate").addEventListener("submit", generate);
$("more").addEventListener("click", () =>
  loadGallery(true).catch((error) => showError(error.message)),
);
for (const button of document.querySelectorAll("[data-copy]"))
  button.addEventListener("click", copy);
connect();
