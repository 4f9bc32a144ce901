import { type Browser, chromium } from "playwright-core";

/** Debian's chromium, or the build CHROMIUM_PATH names (e.g. on GitHub's Ubuntu runners). */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless Chromium as this machine (and CI's containers) can run it: no sandbox, no GPU, and
 * none of its own traffic (updates, sync, QUIC) leaving the machine.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
