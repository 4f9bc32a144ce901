/** Structured JSON logs: one object a line, never a secret nor a prompt. */
export function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}
