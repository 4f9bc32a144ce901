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
}

async function loadModels() {
  models = (await api("/v1/models")).data;
  const current = $("model").value;
  $("model").replaceChildren(...models.map((model) => new Option(model.id, model.id)));
  if (models.some((model) => model.id === current)) $("model").value = current;
  fillSizes();
}

function galleryItem(image) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = image.url;
  const picture = document.createElement("img");
  picture.src = image.url;
  picture.alt = image.prompt;
  picture.loading = "lazy";
  link.append(picture);
  const caption = document.createElement("p");
  caption.textContent = `${image.prompt} · ${image.model} · ${image.size}`;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = "Delete";
  remove.setAttribute("aria-label", `Delete ${image.prompt}`);
  remove.addEventListener("click", async () => {
    try {
      await api(`/v1/images/${image.key}`, { method: "DELETE" });
      item.remove();
    } catch (error) {
      showError(error.message);
    }
  });
  item.append(link, caption, remove);
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
  $("gallery-empty").textContent = $("gallery").children.length
    ? ""
    : "No images yet: generate one.";
}

async function connect() {
  if (!token()) return;
  try {
    showError("");
    await Promise.all([loadModels(), loadGallery()]);
  } catch (error) {
    showError(error.message);
  }
}

/** Shows the seconds since the start against the usual duration while a generation runs. */
function startProgress() {
  const started = Date.now();
  $("progress").hidden = false;
  const tick = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    $("elapsed").textContent = `Generating… ${seconds} s (usually about ${EXPECTED_SECONDS} s)`;
  };
  tick();
  const timer = setInterval(tick, 1000);
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
    $("caption").textContent = `${answer.model} · ${answer.size} · ${answer.quality}`;
    $("result").hidden = false;
    const { url: renderUrl } = await api("/v1/render-urls", {
      method: "POST",
      body: JSON.stringify({ ...request, quality: answer.quality, warm: true }),
    });
    const alt = request.prompt.replace(/[[\]"<>]/g, " ").slice(0, 120);
    const [width, height] = answer.size.split("x");
    $("markdown").value = `![${alt}](${renderUrl})`;
    $("html").value =
      `<img src="${renderUrl.replaceAll("&", "&amp;")}" alt="${alt}" width="${Math.round(width / 2)}" height="${Math.round(height / 2)}">`;
    $("embed").hidden = false;
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
$("generate").addEventListener("submit", generate);
$("more").addEventListener("click", () =>
  loadGallery(true).catch((error) => showError(error.message)),
);
for (const button of document.querySelectorAll("[data-copy]"))
  button.addEventListener("click", copy);
connect();
