// What the steps of `rcenter verify` share: their report lines, their failures, and bounded
// concurrency for fetching.

/** One PASS, FAIL or SKIP line of the verifier's report. */
export interface CheckLine {
  /** true: PASS; false: FAIL; undefined: SKIP (not checked, said why). */
  ok: boolean | undefined;
  /** What was checked, e.g. "count regions". */
  check: string;
  detail: string;
  /** Further lines (the problems found, one each), printed under it. */
  notes?: string[];
}

/**
 * A check of `rcenter verify` that did not hold, in plain words for its FAIL line: the log, a
 * tile, an entry, the count or a statement is not what the center claims. (A source that cannot
 * be read at all is a LogSourceError; both fail the check they happen in.)
 */
export class LogCheckFailure extends Error {
  override readonly name = 'LogCheckFailure';
}

/**
 * Yields `produce(0) … produce(count - 1)` in order, with up to `window` of them started ahead,
 * so fetches overlap while their results are used one by one and only `window` are held.
 */
export async function* inOrder<T>(count: number, window: number, produce: (i: number) => Promise<T>): AsyncGenerator<T> {
  const ahead: Promise<T>[] = [];
  let next = 0;
  const start = () => {
    const promise = produce(next++);
    promise.catch(() => {}); // awaited in turn below; this only keeps an early failure from being "unhandled"
    ahead.push(promise);
  };
  while (next < count && ahead.length < window) start();
  while (ahead.length > 0) {
    const value = await ahead.shift()!;
    if (next < count) start();
    yield value;
  }
}

/** Runs `work` on every item, at most `n` at once; the first failure is thrown once all have stopped. */
export async function forEachConcurrently<T>(items: readonly T[], n: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        await work(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failure) throw failure.error;
}
