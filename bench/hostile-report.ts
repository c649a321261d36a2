// Figures and verdict of the hostile benchmark, and the event-loop delay read from the probe.
import fs from 'node:fs';
import { median } from './load.js';
import type { Child } from './processes.js';

/** Submissions of one long identical text put in the queue before the rounds (as in issue 13). */
export const FLOOD_SIZE = 75;

/** What the issue asks of the normal client while hostile connections run. */
export const REQUIREMENTS = { p99Ms: 100, rateRatio: 0.8, loopP99Ms: 50 };

export interface LoopDelay {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export interface Window {
  round: number;
  hostile: boolean;
  submitRate: number;
  submitP99: number;
  readRate: number;
  readP99: number;
  submitLatencies: number[];
  readLatencies: number[];
  errors: Record<string, number>;
  loop: LoopDelay;
  hostileOutcomes: { outcomes: Record<string, number>; slowest: Record<string, number> } | undefined;
}

/**
 * Asks the app's preloaded probe (bench/loop-delay-probe.mjs) for the event-loop delay since
 * the last ask, which also starts a new measurement.
 */
export async function readLoopDelay(app: Child, file: string): Promise<LoopDelay> {
  const before = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { sequence: number }).sequence : 0;
  app.process.kill('SIGUSR2');
  for (let i = 0; i < 500; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (!fs.existsSync(file)) continue;
    const figures = JSON.parse(fs.readFileSync(file, 'utf8')) as LoopDelay & { sequence: number };
    if (figures.sequence > before) return figures;
  }
  throw new Error('the app did not report its event-loop delay within 5 s');
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** The table, the verdict per requirement, and the figures for --json. */
export function report(windows: Window[], options: object): { text: string; pass: boolean; figures: object } {
  const quiet = windows.filter((w) => !w.hostile);
  const loaded = windows.filter((w) => w.hostile);
  const submitRatio = median(loaded.map((w) => w.submitRate)) / median(quiet.map((w) => w.submitRate));
  const readRatio = median(loaded.map((w) => w.readRate)) / median(quiet.map((w) => w.readRate));
  // The worst window's p99, not the p99 of all windows pooled: one frozen window must fail.
  const submitP99 = Math.max(...loaded.map((w) => w.submitP99));
  const readP99 = Math.max(...loaded.map((w) => w.readP99));
  const loopP99 = Math.max(...loaded.map((w) => w.loop.p99));
  const errors = windows.reduce((n, w) => n + Object.values(w.errors).reduce((a, b) => a + b, 0), 0);
  const checks = [
    { name: `normal submissions under attack: p99 ≤ ${REQUIREMENTS.p99Ms} ms (worst window)`, value: `${fmt(submitP99)} ms`, pass: submitP99 <= REQUIREMENTS.p99Ms },
    { name: `normal page reads under attack: p99 ≤ ${REQUIREMENTS.p99Ms} ms (worst window)`, value: `${fmt(readP99)} ms`, pass: readP99 <= REQUIREMENTS.p99Ms },
    { name: `submission rate under attack ≥ ${REQUIREMENTS.rateRatio} of quiet`, value: fmt(submitRatio, 3), pass: submitRatio >= REQUIREMENTS.rateRatio },
    { name: `page-read rate under attack ≥ ${REQUIREMENTS.rateRatio} of quiet`, value: fmt(readRatio, 3), pass: readRatio >= REQUIREMENTS.rateRatio },
    { name: `event-loop delay p99 under attack ≤ ${REQUIREMENTS.loopP99Ms} ms (worst window)`, value: `${fmt(loopP99)} ms`, pass: loopP99 <= REQUIREMENTS.loopP99Ms },
    { name: 'no normal request failed', value: String(errors), pass: errors === 0 },
  ];
  const lines = ['', 'round  window   submit/s  submit p99  read/s  read p99  loop p99  loop max'];
  for (const w of windows) {
    lines.push(
      `${String(w.round).padStart(5)}  ${(w.hostile ? 'hostile' : 'quiet').padEnd(7)}  ${fmt(w.submitRate).padStart(8)}  ${fmt(w.submitP99).padStart(10)}  ${fmt(w.readRate).padStart(6)}  ${fmt(w.readP99).padStart(8)}  ${fmt(w.loop.p99).padStart(8)}  ${fmt(w.loop.max).padStart(8)}`,
    );
  }
  lines.push('', 'hostile requests (all rounds), by kind and status; slowest answer per kind:');
  const outcomes: Record<string, number> = {};
  const slowest: Record<string, number> = {};
  for (const w of loaded) {
    for (const [k, n] of Object.entries(w.hostileOutcomes?.outcomes ?? {})) outcomes[k] = (outcomes[k] ?? 0) + n;
    for (const [k, ms] of Object.entries(w.hostileOutcomes?.slowest ?? {})) slowest[k] = Math.max(slowest[k] ?? 0, ms);
  }
  for (const [k, n] of Object.entries(outcomes).sort()) lines.push(`  ${k.padEnd(28)} ${String(n).padStart(7)}`);
  for (const [k, ms] of Object.entries(slowest).sort()) lines.push(`  slowest ${k.padEnd(20)} ${fmt(ms).padStart(9)} ms`);
  lines.push('', 'requirements:');
  for (const c of checks) lines.push(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  lines.push('');
  const pass = checks.every((c) => c.pass);
  const figures = {
    options,
    windows: windows.map(({ submitLatencies: _s, readLatencies: _r, ...w }) => w),
    submitRatio,
    readRatio,
    submitP99,
    readP99,
    loopP99,
    checks,
  };
  return { text: lines.join('\n'), pass, figures };
}
