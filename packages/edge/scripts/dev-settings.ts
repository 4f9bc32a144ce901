// The settings `npm start` gives the Worker, and the start-up lines that say which are in force.
import type { WorkerSettings } from "./worker-settings.ts";
import { settingNames } from "./worker-settings.ts";

/** Where a setting's value comes from. */
export type SettingSource =
  | "environment"
  | ".dev.vars"
  | "wrangler.toml"
  | "the mock"
  | "development default";

export interface Setting {
  value: string;
  source: SettingSource;
}

export interface DevSettings {
  settings: Map<string, Setting>;
  /** Names in .dev.vars that are not settings of the Worker: they would never reach it. */
  unknown: string[];
}

/**
 * Each setting of the Worker from the environment, else from .dev.vars, else wrangler.toml's
 * default ("" for most: unset).
 */
export function resolveDevSettings(
  declared: WorkerSettings,
  environment: NodeJS.ProcessEnv,
  devVars: Record<string, string>,
): DevSettings {
  const names = settingNames(declared);
  const settings = new Map<string, Setting>();
  for (const name of names) {
    const fromEnvironment = environment[name];
    const fromDevVars = devVars[name];
    if (fromEnvironment) settings.set(name, { value: fromEnvironment, source: "environment" });
    else if (fromDevVars) settings.set(name, { value: fromDevVars, source: ".dev.vars" });
    else settings.set(name, { value: declared.defaults[name] ?? "", source: "wrangler.toml" });
  }
  const unknown = Object.keys(devVars).filter((name) => !names.includes(name));
  return { settings, unknown };
}

/** The values to hand to wrangler dev: those that are set. */
export const settingValues = (settings: Map<string, Setting>): Record<string, string> =>
  Object.fromEntries(
    [...settings].filter(([, { value }]) => value !== "").map(([name, { value }]) => [name, value]),
  );

/** One line per setting, `NAME=value  (source)`, the value of a secret shown as `[set]`. */
export function describeSettings(
  settings: Map<string, Setting>,
  declared: WorkerSettings,
): string[] {
  const shown = [...settings].map(([name, { value, source }]) => {
    const text =
      value === ""
        ? `${name} unset`
        : `${name}=${declared.secrets.includes(name) ? "[set]" : value}`;
    return { text, source };
  });
  const width = Math.max(...shown.map(({ text }) => text.length));
  return shown.map(({ text, source }) => `    ${text.padEnd(width)}  (${source})`);
}
