/**
 * Runs asynchronous work one piece at a time, in the order asked (a background job's batches,
 * its timer's and a drain()'s alike): `run` starts the work once everything asked before it has
 * settled, and `idle` resolves once all of it has.
 */
export function oneAtATime(): { run<T>(work: () => Promise<T>): Promise<T>; idle(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const next = running.then(work, work);
      running = next.catch(() => {});
      return next;
    },
    idle: () => running.then(() => {}),
  };
}
