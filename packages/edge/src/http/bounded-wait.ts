import { GlmImageError } from "@glm-image/core";
import type { Context } from "hono";
import { afterResponse } from "./image-response.ts";

/** How soon a caller that met a running generation is asked to come back. */
export const STILL_RUNNING_RETRY_AFTER_MS = 5_000;

const stillRunning = (seconds: number) =>
  new GlmImageError(
    "TIMEOUT",
    `The image is still being generated after ${seconds} s and the work goes on: ask again in a few seconds, it will not be paid for twice`,
    { retryable: true, retryAfterMs: STILL_RUNNING_RETRY_AFTER_MS },
  );

/**
 * Waits at most `seconds` for a generation. Past that the request answers TIMEOUT (503 with
 * Retry-After) and the work goes on in the background (waitUntil on Workers; the Durable Object or
 * the Deno process keeps it running), where the next request for the same image finds it.
 */
export async function waitAtMost<T>(
  context: Context,
  work: Promise<T>,
  seconds: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = Symbol("late");
  const deadline = new Promise<typeof late>((resolve) => {
    timer = setTimeout(() => resolve(late), seconds * 1000);
  });
  try {
    const first = await Promise.race([work, deadline]);
    if (first !== late) return first;
  } finally {
    clearTimeout(timer);
  }
  afterResponse(context, work);
  throw stillRunning(seconds);
}
