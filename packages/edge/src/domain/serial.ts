/**
 * Runs work one at a time per key, in the order asked; a failure does not stop the queue. What a
 * single process (a Durable Object, the Deno entry without KV) uses to keep read-modify-writes of
 * one key from interleaving at their awaits.
 */
export function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = next.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}

/** One queue: work runs one at a time, in the order asked. */
export function serialQueue() {
  const queue = keyedQueue();
  return <T>(work: () => Promise<T>): Promise<T> => queue("", work);
}
