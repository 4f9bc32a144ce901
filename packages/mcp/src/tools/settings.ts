/** What the server's options set for its tools, defaults applied. */
export interface ToolSettings {
  maxImageBytes: number;
  progressIntervalMs: number;
}
