// The Worker's settings as wrangler.toml declares them, and how to hand values for them to
// `wrangler dev` so that every one reaches the Worker. Used by `npm start` (dev.ts) and by the
// testkit's startWranglerDev.
//
// With a [secrets] table in the config, wrangler dev (4.164, getVarsForDev) keeps from its env
// files and from process.env only the names that are required secrets or [vars], and lets
// process.env win over the files. So every setting is declared in wrangler.toml, the values travel
// in a private env file (mode 0600, never on the command line, where `ps` shows them), and the
// environment wrangler runs in holds none of the settings' names.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { formatDotenv } from "./dotenv.ts";

export const root = new URL("../../../", import.meta.url).pathname;

export interface WorkerSettings {
  /** `[secrets] required`: values that are never printed. */
  secrets: string[];
  /** `[vars]` with their defaults ("" is unset). */
  defaults: Record<string, string>;
}

/** The settings that wrangler.toml declares, as wrangler itself reads the file. */
export function readWorkerSettings(configPath = join(root, "wrangler.toml")): WorkerSettings {
  const config = unstable_readConfig({ config: configPath }, { hideWarnings: true });
  return {
    secrets: [...(config.secrets?.required ?? [])],
    defaults: Object.fromEntries(
      Object.entries(config.vars).map(([name, value]) => [
        name,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  };
}

/** Every setting's name: the secrets, then the [vars]. */
export const settingNames = (declared: WorkerSettings): string[] => [
  ...declared.secrets,
  ...Object.keys(declared.defaults),
];

export interface WranglerDevSettings {
  /** `--env-file <private file>`. */
  args: string[];
  /** The environment for wrangler: the given one without any setting's name. */
  environment: NodeJS.ProcessEnv;
  /** Deletes the private file. */
  remove(): void;
}

/**
 * What `wrangler dev` needs to give the Worker these values. A name the Worker does not declare
 * would never reach it: that is an error here, not a silent loss.
 */
export function wranglerDevSettings(
  values: Record<string, string>,
  environment: NodeJS.ProcessEnv = process.env,
  declared: WorkerSettings = readWorkerSettings(),
): WranglerDevSettings {
  const names = settingNames(declared);
  const unknown = Object.keys(values).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `Not settings of the Worker (declare them in wrangler.toml): ${unknown.join(", ")}`,
    );
  }
  const contents = formatDotenv(values);
  const directory = mkdtempSync(join(tmpdir(), "glm-image-settings-"));
  const file = join(directory, "settings.env");
  writeFileSync(file, contents, { mode: 0o600 });
  const clean: NodeJS.ProcessEnv = { ...environment };
  for (const name of [...names, "CLOUDFLARE_INCLUDE_PROCESS_ENV"]) delete clean[name];
  return {
    args: ["--env-file", file],
    environment: clean,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
