import type { ToolCall } from "./define-tool.ts";

/** Hosts time out a silent call (often after 10 to 60 s); a generation takes about 20. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 4_000;

export interface ProgressReporter {
  /** Sends `message` now, and again with every heartbeat until the next update. */
  update(message: string): void;
  stop(): void;
}

/**
 * Progress notifications for one call, only when the client asked for them (a `progressToken`):
 * one at once, one per update, and a heartbeat every `intervalMs` in between. `progress` counts
 * up, as the protocol requires; there is no `total` (the upstream tells none).
 */
export function startProgress(
  { context, signal }: ToolCall,
  message: string,
  intervalMs = DEFAULT_PROGRESS_INTERVAL_MS,
): ProgressReporter {
  const progressToken = context.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return { update() {}, stop() {} };
  let progress = 0;
  let current = message;
  let stopped = false;
  const send = () => {
    if (stopped) return;
    progress += 1;
    context.mcpReq
      .notify({
        method: "notifications/progress",
        params: { progressToken, progress, message: current },
      })
      // The client went away: the call ends through its abort signal, not here.
      .catch(() => {});
  };
  const timer = setInterval(send, intervalMs);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  signal.addEventListener("abort", stop, { once: true });
  send();
  return {
    update(next) {
      current = next;
      send();
    },
    stop,
  };
}
