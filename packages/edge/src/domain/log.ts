const ranks = { info: 0, warn: 1, error: 2 } as const;
export type LogLevel = keyof typeof ranks;
export const logLevels = Object.keys(ranks) as LogLevel[];

/**
 * Structured JSON logs: one object a line, never a secret nor a prompt. Entries below `level`
 * (`LOG_LEVEL`) are dropped: a log line is not free (Workers Logs bill by volume, and `wrangler
 * dev` forwards each line to its own process).
 */
export function logger(level: LogLevel = "info"): (entry: Record<string, unknown>) => void {
  return (entry) => {
    const rank = ranks[entry.level as LogLevel] ?? ranks.info;
    if (rank < ranks[level]) return;
    console.log(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  };
}
