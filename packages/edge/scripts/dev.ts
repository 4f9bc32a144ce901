// `npm start`: the edge service on http://127.0.0.1:8787 through `wrangler dev`, with local R2 and
// Durable Objects kept under .wrangler/state. Without a ZHIPU_API_KEY (environment or .dev.vars)
// it also starts the mock upstream, and says so: images are then placeholders.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { startMockServer } from "@glm-image/mock";

const root = new URL("../../../", import.meta.url).pathname;

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
const has = (name: string) => Boolean(process.env[name] || devVars[name]);
const settings: Record<string, string> = {};

let mock: Awaited<ReturnType<typeof startMockServer>> | undefined;
if (!has("ZHIPU_API_KEY")) {
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
      "  *  Images are PLACEHOLDERS. Set ZHIPU_API_KEY (or put it in .dev.vars)",
      "  *  to generate real images with the ZhiPu API.",
      "  ************************************************************************",
      "",
    ].join("\n"),
  );
}
if (!has("API_TOKENS")) {
  settings.API_TOKENS = "dev-token";
  console.warn("  API_TOKENS not set: the API accepts `Authorization: Bearer dev-token`");
}
if (!has("SIGNING_SECRET")) {
  settings.SIGNING_SECRET = "dev-signing-secret-not-for-production";
  console.warn("  SIGNING_SECRET not set: /render URLs are signed with a development secret");
}

// Settings travel in the environment (CLOUDFLARE_INCLUDE_PROCESS_ENV), never on the command line,
// where `ps` would show a key.
const child = spawn(
  `${root}node_modules/.bin/wrangler`,
  [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    process.env.PORT ?? "8787",
    "--persist-to",
    ".wrangler/state",
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      ...settings,
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      WRANGLER_SEND_METRICS: "false",
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  await mock?.close();
  process.exit(code ?? 0);
});
