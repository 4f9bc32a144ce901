// `npm start`: the edge service on http://127.0.0.1:8787 through `wrangler dev`, with local R2 and
// Durable Objects kept under .wrangler/state. Without a ZHIPU_API_KEY (environment or .dev.vars)
// it also starts the mock upstream, and says so: images are then placeholders that say MOCK.
//
// The Worker gets only the settings named below: from the environment, else from .dev.vars, else
// development defaults. They travel in a private file (mode 0600, in a temporary directory removed
// on exit) passed with --env-file: never on the command line, where `ps` would show a key, and
// never the whole shell environment (no CLOUDFLARE_INCLUDE_PROCESS_ENV).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@glm-image/mock";

const root = new URL("../../../", import.meta.url).pathname;
const port = process.env.PORT ?? "8787";
const origin = `http://127.0.0.1:${port}`;

/** The settings of the Worker (../../../wrangler.toml); nothing else reaches it. */
const settingNames = [
  "ZHIPU_API_KEY",
  "ZHIPU_BASE_URL",
  "API_TOKENS",
  "ADMIN_TOKENS",
  "SIGNING_SECRET",
  "PUBLIC_BASE_URL",
  "MAX_GENERATIONS_PER_DAY",
  "TENANT_GENERATIONS_PER_DAY",
  "ALLOWED_ORIGINS",
] as const;

function readDevVars(): Record<string, string> {
  try {
    const text = readFileSync(`${root}.dev.vars`, "utf8");
    return Object.fromEntries(
      text
        .split("\n")
        .map((line) => /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?(.*?)"?\s*$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]]),
    );
  } catch {
    return {};
  }
}

const devVars = readDevVars();
const settings: Record<string, string> = {};
for (const name of settingNames) {
  const value = process.env[name] || devVars[name];
  if (value) settings[name] = value;
}

let mock: Awaited<ReturnType<typeof startMockServer>> | undefined;
if (!settings.ZHIPU_API_KEY) {
  mock = await startMockServer({ port: Number(process.env.MOCK_PORT ?? 4010) }).catch(() =>
    startMockServer(),
  );
  settings.ZHIPU_API_KEY = mock.apiKey;
  settings.ZHIPU_BASE_URL = mock.baseUrl;
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
if (!settings.API_TOKENS) {
  settings.API_TOKENS = "dev-token";
  console.warn("  API_TOKENS not set: the API accepts `Authorization: Bearer dev-token`");
}
if (!settings.ADMIN_TOKENS) {
  settings.ADMIN_TOKENS = "admin:dev-admin-token";
  console.warn(
    "  ADMIN_TOKENS not set: `Authorization: Bearer dev-admin-token` is the admin (every tenant's images and usage)",
  );
}
if (!settings.SIGNING_SECRET) {
  settings.SIGNING_SECRET = "dev-signing-secret-not-for-production";
  console.warn("  SIGNING_SECRET not set: /render URLs are signed with a development secret");
}

const directory = mkdtempSync(join(tmpdir(), "glm-image-dev-"));
const envFile = join(directory, "dev.vars");
const quoted = (value: string) => JSON.stringify(value);
writeFileSync(
  envFile,
  Object.entries(settings)
    .map(([name, value]) => `${name}=${quoted(value)}\n`)
    .join(""),
  { mode: 0o600 },
);

const environment: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  // Offline, miniflare's fetch of Request.cf data fails with a stack trace: use its fallback.
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
delete environment.CLOUDFLARE_INCLUDE_PROCESS_ENV;

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
    "--env-file",
    envFile,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit", env: environment },
);

/** Says where to go once the service answers. */
async function announce(): Promise<void> {
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) {
        console.log(
          [
            "",
            `  Home page:  ${origin}/`,
            `  API docs:   ${origin}/docs`,
            `  OpenAPI:    ${origin}/openapi.json`,
            settings.API_TOKENS === "dev-token" ? "  Token:      dev-token" : "",
            settings.ADMIN_TOKENS === "admin:dev-admin-token"
              ? "  Admin:      dev-admin-token"
              : "",
            "",
          ]
            .filter((line, index, lines) => line || index === 0 || index === lines.length - 1)
            .join("\n"),
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

const cleanUp = () => rmSync(directory, { recursive: true, force: true });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  cleanUp();
  await mock?.close();
  process.exit(code ?? 0);
});
