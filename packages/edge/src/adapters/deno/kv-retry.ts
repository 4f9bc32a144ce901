import type { Kv, KvAtomic, KvKey } from "./kv-types.ts";

type Step = (atomic: KvAtomic) => KvAtomic;

const ATTEMPTS = 50;
const isBusy = (error: unknown) =>
  error instanceof Error && /database is locked/.test(error.message);

/**
 * Runs `operation` again while SQLite answers "database is locked", with a short backoff: also
 * opening the file, which fails so when another process opens it at the same moment.
 */
export async function whileBusy<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isBusy(error) || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(5 * attempt, 50) * Math.random()),
      );
    }
  }
}

/**
 * A local Deno KV file shared by several processes is one SQLite database: a write that meets
 * another process's write fails with "database is locked" instead of waiting. This retries such
 * calls (an atomic operation is rebuilt from its recorded steps for each attempt); managed KV on
 * Deno Deploy never answers so, and then nothing is retried.
 */
export function retryWhileBusy(kv: Kv): Kv {
  return {
    get: (key) => whileBusy(() => kv.get(key)),
    set: (key, value, options) => whileBusy(() => kv.set(key, value, options)),
    delete: (key) => whileBusy(() => kv.delete(key)),
    atomic() {
      const steps: Step[] = [];
      const recorder: KvAtomic = {
        check(...checks) {
          steps.push((atomic) => atomic.check(...checks));
          return recorder;
        },
        set(key: KvKey, value: unknown, options?: { expireIn?: number }) {
          steps.push((atomic) => atomic.set(key, value, options));
          return recorder;
        },
        delete(key: KvKey) {
          steps.push((atomic) => atomic.delete(key));
          return recorder;
        },
        commit: () =>
          whileBusy(() => steps.reduce((atomic, step) => step(atomic), kv.atomic()).commit()),
      };
      return recorder;
    },
  };
}
