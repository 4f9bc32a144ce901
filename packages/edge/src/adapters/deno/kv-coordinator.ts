import { forgetEntry } from "../../domain/forget-entry.ts";
import { releaseImage } from "../../domain/ownership.ts";
import type { Coordinator, GenerationJob, GenerationOutcome } from "../../domain/ports.ts";
import { type GenerationDeps, produceImage } from "../../domain/produce-image.ts";
import { asJoiner } from "../../domain/single-flight.ts";
import { kvJournal } from "./kv-journal.ts";
import { claimLease, currentLease, type LeaseOptions, leaseKey, renewLease } from "./kv-lease.ts";
import type { Kv } from "./kv-types.ts";

export interface KvCoordinatorOptions {
  /** How long a crashed holder blocks its key: its lease expires after this, unless renewed. */
  leaseMs?: number;
  /** How often a waiter looks for the holder's outcome. */
  pollMs?: number;
  now?: () => number;
}

const outcomeKey = (key: string, holder: string) => ["outcome", key, holder] as const;
/** How long a holder's outcome stays readable for the waiters that followed it. */
const OUTCOME_MS = 60_000;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Single flight across isolates that share one Deno KV: the first to claim a content key's lease
 * (an atomic check-and-set with an expiry, renewed while it works) runs `produceImage`, which
 * resumes from the KV journal; the others poll until it publishes its outcome (`["outcome", key,
 * holder]`, written in the same commit that frees the lease), or until its lease expires or is
 * freed without one (it crashed or failed), and then take the key over themselves. An in-process
 * map in front keeps one isolate's identical jobs on one claim. The key's ownership changes take
 * the same lease, so they never run during its generation nor two at once. Idempotency keys are
 * bound to a request's digest with an atomic check that the key is unbound: the first binding
 * wins, across isolates and restarts.
 */
export function kvCoordinator(
  kv: Kv,
  deps: Omit<GenerationDeps, "journal">,
  options: KvCoordinatorOptions = {},
): Coordinator {
  const lease: LeaseOptions = { ttlMs: options.leaseMs ?? 10_000, now: options.now ?? Date.now };
  const pollMs = options.pollMs ?? 100;
  const journal = kvJournal(kv);
  const generation: GenerationDeps = { ...deps, journal };
  const inFlight = new Map<string, Promise<GenerationOutcome>>();

  async function coordinate(job: GenerationJob): Promise<GenerationOutcome> {
    for (;;) {
      const holder = crypto.randomUUID();
      const held = await claimLease(kv, job.key, holder, lease);
      if (held === null) {
        return hold(
          job.key,
          holder,
          () => produceImage(job, generation),
          (outcome) => outcome,
        );
      }
      const outcome = await follow(job.key, held.holder);
      if (outcome) return asJoiner(outcome);
    }
  }

  /** Runs `work` on `key` once no one else holds it: an ownership change, never mid-generation. */
  async function exclusively<T>(key: string, work: () => Promise<T>): Promise<T> {
    for (;;) {
      const holder = crypto.randomUUID();
      if ((await claimLease(kv, key, holder, lease)) === null) {
        return hold(key, holder, work, () => undefined);
      }
      await wait(pollMs);
    }
  }

  /**
   * Runs `work` as the key's holder, renewing the lease until it is done; then frees the key,
   * publishing what `publish` makes of the result for the waiters that follow this holder.
   */
  async function hold<T>(
    key: string,
    holder: string,
    work: () => Promise<T>,
    publish: (result: T) => GenerationOutcome | undefined,
  ): Promise<T> {
    let renewal: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewal = renewLease(kv, key, holder, lease).then(
        (renewed) => renewed || warn("lease lost while holding the key", key),
        (error: unknown) => warn(`lease not renewed: ${String(error)}`, key),
      );
    }, lease.ttlMs / 3);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // Free the key at once so that a waiter takes over, instead of waiting for the expiry.
      clearInterval(timer);
      await renewal;
      await settle(key, holder, undefined);
      throw error;
    }
    clearInterval(timer);
    await renewal;
    // The outcome is real even when KV cannot take it: the waiters then wait for the lease to
    // expire, and take the key over (the journal says what is done).
    await settle(key, holder, publish(result)).catch((error: unknown) =>
      warn(`outcome not published: ${String(error)}`, key),
    );
    return result;
  }

  /** Publishes the holder's outcome (when there is one) and frees its lease, in one commit. */
  async function settle(key: string, holder: string, outcome: GenerationOutcome | undefined) {
    for (;;) {
      const current = await kv.get<{ holder: string }>(leaseKey(key));
      const commit = kv.atomic();
      if (outcome) commit.set(outcomeKey(key, holder), outcome, { expireIn: OUTCOME_MS });
      if (current.value?.holder === holder) {
        commit.check({ key: leaseKey(key), versionstamp: current.versionstamp });
        commit.delete(leaseKey(key));
      }
      if ((await commit.commit()).ok) return;
    }
  }

  /** Waits for `holder`'s outcome; null when it let go of the key without one. */
  async function follow(key: string, holder: string): Promise<GenerationOutcome | null> {
    for (;;) {
      await wait(pollMs);
      if ((await currentLease(kv, key, lease.now))?.holder === holder) continue;
      return (await kv.get<GenerationOutcome>(outcomeKey(key, holder))).value;
    }
  }

  function warn(message: string, key: string) {
    deps.log?.({ level: "warn", message, key });
  }

  return {
    generate(job) {
      const pending = inFlight.get(job.key);
      if (pending) return pending.then(asJoiner);
      const flight = coordinate(job).finally(() => inFlight.delete(job.key));
      inFlight.set(job.key, flight);
      return flight;
    },
    async claim(idempotencyKey, digest) {
      const key = ["idempotency-request", idempotencyKey] as const;
      const bound = await kv.atomic().check({ key, versionstamp: null }).set(key, digest).commit();
      if (bound.ok) return digest;
      return (await kv.get<string>(key)).value ?? digest;
    },
    own: (key, tenant) => exclusively(key, () => deps.store.addOwner(key, tenant)),
    release: (key, tenant) =>
      exclusively(key, () => releaseImage({ store: deps.store, journal }, key, tenant)),
    forget: (key, tenant) => exclusively(key, () => forgetEntry(journal, key, tenant)),
  };
}
