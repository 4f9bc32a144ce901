import * as core from "@actions/core";

/**
 * One line of the log. Paths, prompts and upstream messages come from users and servers: a line
 * break in them would start a line the runner reads as a workflow command (`::warning::...`), so
 * CR and LF are written as @actions/core escapes them in command data (%0D, %0A).
 */
export function logLine(message: string): void {
  core.info(message.replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}
