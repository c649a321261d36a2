// The frame every benchmark runs in: options parsed (a bad one prints the usage, exit 2), the
// run, then its clean-up steps in reverse order — also on SIGINT/SIGTERM — and the exit code
// (what the run returned; 3 when it broke).

/** A step that undoes something the run set up (a child process, a temporary directory). */
export type Cleanup = () => Promise<void> | void;

/** An option the user got wrong: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Runs a benchmark and exits with its code. */
export function benchMain<O>(usage: string, parse: (argv: string[]) => O, run: (options: O, cleanups: Cleanup[]) => Promise<number>): void {
  const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const main = async (): Promise<number> => {
    let options: O;
    try {
      options = parse(process.argv.slice(2));
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    const cleanups: Cleanup[] = [];
    const cleanup = async () => {
      for (const step of cleanups.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          say(`cleanup: ${(error as Error).message}`);
        }
      }
    };
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) process.exit(130);
      interrupted = true;
      say(`${signal}: stopping`);
      void cleanup().then(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await run(options, cleanups);
    } finally {
      await cleanup();
    }
  };
  main().then(
    (code) => process.exit(code),
    (error) => {
      say(`the benchmark broke: ${(error as Error).stack ?? error}`);
      process.exit(3);
    },
  );
}

/** A numeric option: `fallback` when absent, else a number from `min` to `max` (UsageError otherwise). */
export function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  return value;
}
