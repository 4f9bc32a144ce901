// `npm start`: the edge service on http://127.0.0.1:8787 (PORT to change it) through `wrangler dev`,
// with local R2 and Durable Objects kept under .wrangler/state. Without a ZHIPU_API_KEY
// (environment or .dev.vars) it also starts the mock upstream, and says so: images are then
// placeholders that say MOCK.
//
// Every setting that wrangler.toml declares reaches the Worker: from the environment, else from
// .dev.vars, else development defaults, else wrangler.toml's [vars]. The start-up lines list them
// (secrets as [set]) and name any line of .dev.vars that is not a setting. The values travel as
// worker-settings.ts says: a private file, never the command line, never the whole environment.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { startMockServer } from "@glm-image/mock";
import { describeSettings, resolveDevSettings, settingValues } from "./dev-settings.ts";
import { parseDotenv } from "./dotenv.ts";
import { readWorkerSettings, root, settingNames, wranglerDevSettings } from "./worker-settings.ts";

const port = process.env.PORT ?? "8787";
const origin = `http://127.0.0.1:${port}`;
const DEV_TOKEN = "dev-token";

function readDevVars(): Record<string, string> {
  try {
    return parseDotenv(readFileSync(`${root}.dev.vars`, "utf8"));
  } catch {
    return {};
  }
}

const declared = readWorkerSettings();
const { settings, unknown } = resolveDevSettings(declared, process.env, readDevVars());
const set = (name: string) => settings.get(name)?.value;

for (const name of unknown) {
  console.warn(
    `  .dev.vars: ${name} is not a setting of the Worker and never reaches it (its settings: ${settingNames(declared).join(", ")})`,
  );
}

let mock: Awaited<ReturnType<typeof startMockServer>> | undefined;
if (!set("ZHIPU_API_KEY")) {
  mock = await startMockServer({ port: Number(process.env.MOCK_PORT ?? 4010) }).catch(() =>
    startMockServer(),
  );
  settings.set("ZHIPU_API_KEY", { value: mock.apiKey, source: "the mock" });
  settings.set("ZHIPU_BASE_URL", { value: mock.baseUrl, source: "the mock" });
  console.warn(
    [
      "",
      "  ************************************************************************",
      "  *  No ZHIPU_API_KEY: using the local mock upstream at",
      `  *  ${mock.baseUrl}`,
      "  *  Images are PLACEHOLDERS that say MOCK. Set ZHIPU_API_KEY (or put it",
      "  *  in .dev.vars) to generate real images with the ZhiPu API.",
      "  ************************************************************************",
      "",
    ].join("\n"),
  );
}
if (!set("API_TOKENS")) {
  settings.set("API_TOKENS", { value: DEV_TOKEN, source: "development default" });
  console.warn(`  API_TOKENS not set: the API accepts \`Authorization: Bearer ${DEV_TOKEN}\``);
}
if (!set("SIGNING_SECRET")) {
  settings.set("SIGNING_SECRET", {
    value: "dev-signing-secret-not-for-production",
    source: "development default",
  });
  console.warn("  SIGNING_SECRET not set: /render URLs are signed with a development secret");
}
console.warn(["", "  Settings in force:", ...describeSettings(settings, declared), ""].join("\n"));

const handOver = wranglerDevSettings(settingValues(settings), process.env, declared);
const child = spawn(
  `${root}node_modules/.bin/wrangler`,
  [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--persist-to",
    ".wrangler/state",
    ...handOver.args,
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...handOver.environment,
      WRANGLER_SEND_METRICS: "false",
      // Offline, miniflare's fetch of Request.cf data fails with a stack trace: use its fallback.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  },
);

/** Says where to go once the service answers. */
async function announce(): Promise<void> {
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) {
        const devToken = set("API_TOKENS") === DEV_TOKEN;
        console.log(
          [
            "",
            // The page moves the token from the fragment (never sent to the server) into this
            // tab's sessionStorage and out of the address bar.
            `  Home page:  ${origin}/${devToken ? `#token=${DEV_TOKEN}` : ""}`,
            `  API docs:   ${origin}/docs`,
            `  OpenAPI:    ${origin}/openapi.json`,
            devToken ? `  Token:      ${DEV_TOKEN}` : "  Token:      one of API_TOKENS",
            "",
          ].join("\n"),
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
void announce();

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  handOver.remove();
  await mock?.close();
  process.exit(code ?? 0);
});
