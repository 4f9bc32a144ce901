import { isGlmImageError, type Sleep, withRetries } from "@glm-image/core";

/** Where an adaptive limit starts, and the most it ever allows. */
export const AUTO_START = 2;
export const AUTO_MAX = 16;

/** Each attempt holds a ticket: the epoch it started in, so one overload is counted once. */
type Ticket = number;

/**
 * How many generation calls may be in flight. Fixed, or adaptive (additive increase,
 * multiplicative decrease): one more after a run of successes as long as the limit, half
 * (rounded up) when the account's concurrency limit answers 429. Calls that started before a
 * decrease do not decrease it again: they met the old limit.
 */
export class ConcurrencyLimit {
  #limit: number;
  #inFlight = 0;
  #successes = 0;
  #epoch = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #adaptive: boolean;
  readonly #max: number;
  readonly #onChange: (limit: number) => void;

  constructor(options: {
    initial: number;
    adaptive: boolean;
    max?: number;
    onChange?: (limit: number) => void;
  }) {
    this.#limit = options.initial;
    this.#adaptive = options.adaptive;
    this.#max = options.max ?? AUTO_MAX;
    this.#onChange = options.onChange ?? (() => {});
  }

  get limit(): number {
    return this.#limit;
  }

  async acquire(): Promise<Ticket> {
    if (this.#inFlight < this.#limit) this.#inFlight++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return this.#epoch;
  }

  release(ticket: Ticket, outcome: "success" | "rate-limited" | "failed"): void {
    this.#inFlight--;
    if (this.#adaptive) this.#adapt(ticket, outcome);
    while (this.#inFlight < this.#limit && this.#waiting.length > 0) {
      this.#inFlight++;
      this.#waiting.shift()?.();
    }
  }

  #adapt(ticket: Ticket, outcome: "success" | "rate-limited" | "failed"): void {
    if (outcome === "rate-limited" && ticket === this.#epoch) {
      this.#epoch++;
      this.#successes = 0;
      this.#set(Math.max(1, Math.ceil(this.#limit / 2)));
    } else if (outcome === "success" && ++this.#successes >= this.#limit) {
      this.#successes = 0;
      if (this.#limit < this.#max) this.#set(this.#limit + 1);
    }
  }

  #set(limit: number): void {
    if (limit === this.#limit) return;
    this.#limit = limit;
    this.#onChange(limit);
  }
}

const isRateLimit = (error: unknown) =>
  isGlmImageError(error) && error.code === "rate_limit_exceeded";

/** Wraps a job's paid work (`paidWork`'s gate): the action's concurrency limit and retries. */
export type Gate = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * A gate whose work waits for a slot of the limit, one slot per attempt: an attempt that meets a
 * rate limit gives its slot back while it waits to try again. The work itself must not retry
 * its paid call; a retry runs it again from the journal, which never pays twice for one image.
 */
export function limitedGate(
  limit: ConcurrencyLimit,
  options: { maxRetries: number; sleep?: Sleep },
): Gate {
  return (work) =>
    withRetries(
      async () => {
        const ticket = await limit.acquire();
        try {
          const value = await work();
          limit.release(ticket, "success");
          return value;
        } catch (error) {
          limit.release(ticket, isRateLimit(error) ? "rate-limited" : "failed");
          throw error;
        }
      },
      { maxRetries: options.maxRetries, ...(options.sleep ? { sleep: options.sleep } : {}) },
    );
}
