// A paid answer, sent as its scenario asks: whole, or lost on its way in one of the ways a client
// must not answer by paying again (its body cut short, a header block too large to read, the
// connection reset before any answer). `empty-data` answers whole: its image list is already
// empty.
import type { IncomingMessage, ServerResponse } from "node:http";
import { jsonHeaders, sendJson } from "./http-io.ts";
import type { AnswerLost } from "./scenarios.ts";

export function sendPaidAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  answer: Record<string, unknown>,
  lost: AnswerLost | undefined,
  /** Where a truncated answer stops by default: just before this field's value. */
  cutBefore: string,
): void {
  if (lost?.kind === "reset") {
    const socket = request.socket;
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
    else socket.destroy();
  } else if (lost?.kind === "huge-headers") {
    // About 30 KB in 600 lines: above Node's 16 KiB and Deno's 100 headers.
    const filler: Record<string, string> = {};
    for (let line = 0; line < 600; line++) filler[`x-filler-${line}`] = "f".repeat(40);
    sendJson(response, 200, answer, filler);
  } else if (lost?.kind === "truncated-answer") {
    const text = JSON.stringify(answer);
    // By default the answer stops just before the image URL of a generation, or the status of
    // a submitted task (whose id is then whole); `value` bytes when given.
    const field = `"${cutBefore}":`;
    const cut = lost.value ?? text.indexOf(field) + field.length;
    response.writeHead(200, jsonHeaders(text));
    response.write(text.slice(0, cut), () => response.destroy());
  } else {
    sendJson(response, 200, answer);
  }
}
