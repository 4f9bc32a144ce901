// The door of every API call (image downloads are not API calls): it is recorded, then let in
// only with the right bearer key, as ZhiPu checks it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "./http-io.ts";
import type { MockState, RecordedRequest } from "./state.ts";
import { MESSAGES } from "./zhipu-api.ts";

/** Records the call, then checks its key: false, having answered 401, when it is missing or wrong. */
export function admitApiCall(
  state: MockState,
  request: IncomingMessage,
  response: ServerResponse,
  call: Omit<RecordedRequest, "authorization">,
): boolean {
  const authorization = request.headers.authorization;
  state.requests.push({
    method: call.method,
    path: call.path,
    ...(authorization ? { authorization } : {}),
    ...("body" in call ? { body: call.body } : {}),
  });
  if (!authorization) {
    sendError(response, 401, "1001", MESSAGES.missingKey);
    return false;
  }
  if (authorization !== `Bearer ${state.apiKey}`) {
    sendError(response, 401, "1002", MESSAGES.badKey);
    return false;
  }
  return true;
}
