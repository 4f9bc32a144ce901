/** How a mock server is started (startMockServer, the bin). */
export interface MockOptions {
  port?: number;
  host?: string;
  /** The only bearer key accepted. Default "test-key". */
  apiKey?: string;
  /** Delay before answering a generation request. */
  latencyMs?: number;
  /** Polls of an async task that answer PROCESSING before SUCCESS. Default 2. */
  asyncPollsUntilDone?: number;
  /** Generation requests answered at once; above it, 429 `1302` as ZhiPu does. Default none. */
  maxConcurrent?: number;
}
