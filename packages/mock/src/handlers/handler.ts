// What every route handler receives: the mock's state (its settings, counters, recorded calls,
// queued scenarios and tasks), the request with its URL read, and the response to write.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MockState } from "../state.ts";

export type Handler = (
  state: MockState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;
