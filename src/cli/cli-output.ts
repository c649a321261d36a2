// What every command prints with: errors that become messages on stderr and exit code 1, a
// progress bar on stderr, plain text tables, text made safe for a terminal. Nothing here opens a
// database or loads the app, so `rcenter verify` (which needs neither) stays small.
import type { Command } from 'commander';

/**
 * A failure to report as is: each line goes to stderr after `rcenter: ` (see index.ts), and the
 * exit code is 1. Nothing else is printed (no stack trace).
 */
export class CliError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'CliError';
  }
}

/**
 * Progress of a long task on stderr: on a terminal one line redrawn with `\r` (a bar, done/total;
 * at most ten times a second), otherwise a plain line at each quarter, so a log file gets a few
 * lines, not thousands. Quiet for small jobs (fewer than `minTotal` items). With a `unit` the
 * line also gives the rate and the time left, and plain lines come at every tenth (`rcenter demo`).
 */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastStep = 0;
  private drawn = false;
  private readonly tty: boolean;
  private readonly steps: number;

  constructor(
    private readonly label: string,
    private readonly minTotal = 1000,
    private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
    private readonly unit?: string,
  ) {
    this.tty = Boolean(stream.isTTY);
    this.steps = unit ? 10 : 4;
  }

  update(done: number, total: number): void {
    if (total < this.minTotal || total <= 0) return;
    const fraction = Math.min(1, done / total);
    const now = Date.now();
    if (this.tty) {
      if (done < total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      this.stream.write(`\r${this.label} [${bar}] ${this.figures(done, total, fraction, now)}${this.unit ? '\u001b[K' : ''}`);
      this.drawn = true;
    } else {
      const step = Math.floor(fraction * this.steps);
      if (step <= this.lastStep) return;
      this.lastStep = step;
      this.stream.write(`rcenter: ${this.label} ${this.figures(done, total, fraction, now)}\n`);
    }
  }

  /** Ends the redrawn line, if one was drawn. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  private figures(done: number, total: number, fraction: number, now: number): string {
    const percent = Math.floor(fraction * 100);
    if (!this.unit) return `${done}/${total} (${percent}%)`;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = done / seconds;
    const eta = rate > 0 ? (total - done) / rate : Number.NaN;
    return (
      `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${this.unit} (${percent}%), ` +
      `${Math.round(rate).toLocaleString('en')}/s, ${done < total ? `ETA ${duration(eta)}` : `took ${duration(seconds)}`}`
    );
  }
}

/** 75 → "1m15s", 3 → "3s". */
function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Columns as wide as a terminal shows them: East Asian wide and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

/** Makes stored text safe to print on a terminal: control and text-direction characters shown as `?`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu, '?');
}

/** A table with a header row, columns separated by two spaces, left-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map(printable))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** Runs the program; a CliError's lines (or another error's message) go to stderr, exit code 1. */
export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    const lines = error instanceof CliError ? error.lines : [error instanceof Error ? error.message : String(error)];
    process.stderr.write(lines.map((line) => `rcenter: ${line}\n`).join(''));
    process.exitCode = 1;
  }
}
