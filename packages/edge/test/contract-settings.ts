/**
 * What every contract runner sets beside the test settings: waits for a running task short enough
 * for the contract to see a TIMEOUT answer, and long enough for every other request of the
 * contract on a busy machine (the mock makes its 51 MiB image in a few seconds).
 */
export const contractSettings = {
  REQUEST_WAIT_SECONDS: "10",
  RENDER_WAIT_SECONDS: "10",
} as const;

/** How long the contract's slow task runs: longer than the waits above. */
export const SLOW_TASK_MS = 14_000;
