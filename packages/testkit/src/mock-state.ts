// Web-only (fetch): usable from Node tests, the bench and tests inside workerd alike.

/** How many generations the mock upstream has been paid for so far: the witness of every test. */
export async function paidGenerations(mockOrigin: string): Promise<number> {
  const state = (await (await fetch(`${mockOrigin}/__mock/state`)).json()) as {
    generations: number;
  };
  return state.generations;
}
