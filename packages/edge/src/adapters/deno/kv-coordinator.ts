import { forgetEntry } from "../../domain/forget-entry.ts";
import type { Coordinator, GenerationJob, GenerationOutcome } from "../../domain/ports.ts";
import { type GenerationDeps, produceImage } from "../../domain/produce-image.ts";
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
 * map in front keeps one isolate's identical jobs on one claim. Idempotency keys are bound to a
 * request's digest with an atomic check that the key is unbound: the first binding wins, across
 * isolates and restarts.
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
      if (held === null) return hold(job, holder);
      const outcome = await follow(job.key, held.holder);
      if (outcome) return outcome;
    }
  }

  /** Runs the job as the key's holder, renewing the lease until the outcome is published. */
  async function hold(job: GenerationJob, holder: string): Promise<GenerationOutcome> {
    let renewal: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewal = renewLease(kv, job.key, holder, lease).then(
        (renewed) => renewed || warn("lease lost while generating", job.key),
        (error: unknown) => warn(`lease not renewed: ${String(error)}`, job.key),
      );
    }, lease.ttlMs / 3);
    let outcome: GenerationOutcome;
    try {
      outcome = await produceImage(job, generation);
    } catch (error) {
      // Free the key at once so that a waiter takes over, instead of waiting for the expiry.
      clearInterval(timer);
      await renewal;
      await settle(job.key, holder, undefined);
      throw error;
    }
    clearInterval(timer);
    await renewal;
    // The outcome is real even when KV cannot take it: the waiters then wait for the lease to
    // expire, and take the key over (the journal says what is done).
    await settle(job.key, holder, outcome).catch((error: unknown) =>
      warn(`outcome not published: ${String(error)}`, job.key),
    );
    return outcome;
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
      let pending = inFlight.get(job.key);
      if (!pending) {
        pending = coordinate(job).finally(() => inFlight.delete(job.key));
        inFlight.set(job.key, pending);
      }
      return pending;
    },
    async claim(idempotencyKey, digest) {
      const key = ["idempotency-request", idempotencyKey] as const;
      const bound = await kv.atomic().check({ key, versionstamp: null }).set(key, digest).commit();
      if (bound.ok) return digest;
      return (await kv.get<string>(key)).value ?? digest;
    },
    forget: (key) => forgetEntry(journal, key),
  };
}
