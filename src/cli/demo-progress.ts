/**
 * Progress of `rcenter demo` on stderr, with a percentage, the rate and the time left: on a
 * terminal one line redrawn with `\r` (at most ten times a second), otherwise a plain line at
 * every tenth of the work, so a log file gets ten lines, not thousands.
 */
export class RateProgress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastTenth = 0;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, total: number): void {
    if (total <= 0) return;
    const fraction = Math.min(1, done / total);
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = done / seconds;
    const eta = rate > 0 ? (total - done) / rate : Number.NaN;
    const figures = `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${this.unit} (${Math.floor(fraction * 100)}%), ` +
      `${Math.round(rate).toLocaleString('en')}/s, ${done < total ? `ETA ${duration(eta)}` : `took ${duration(seconds)}`}`;
    if (this.tty) {
      if (done < total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 24;
      const filled = Math.round(fraction * width);
      this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${figures}\u001b[K`);
      this.drawn = true;
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth <= this.lastTenth) return;
      this.lastTenth = tenth;
      this.stream.write(`rcenter: ${this.label} ${figures}\n`);
    }
  }

  /** Ends the redrawn line, if one was drawn. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
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
