// Goodput under overload (`npm run bench:ingest -- --overload`): the app's accepted submissions
// per second with N connections — as many as the writer's queue has places, so nothing is shed —
// then with OVERLOAD_FACTOR × N, in the same run against the same server; and how quickly the
// excess is refused. A refusal must cost little (it is decided from the headers, before the body
// is read), so that the accepted rate holds up however many clients push. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBodyFactory, type BodyFactory } from './bodies.js';
import { createAgent, median, percentile, runLoad } from './load.js';
import { processCpuMs, startChild, stopChild } from './processes.js';

/** Issue 13, item 5: under 10× overload, ≥ 70 % of the unloaded accepted rate, and 503 p99 ≤ 50 ms. */
export const OVERLOAD_FACTOR = 10;
export const REQUIRED_GOODPUT_RATIO = 0.7;
export const REQUIRED_SHED_P99_MS = 50;

export interface OverloadOptions {
  root: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  timeoutMs: number;
  seed: number;
  serverEnv: Record<string, string>;
  dataDir: string | undefined;
}

interface Phase {
  connections: number;
  acceptedPerSecond: number;
  shedPerSecond: number;
  /** Latencies (ms, sorted) inside the window, of the 201s and of the 503s. */
  accepted: Float64Array;
  shed: Float64Array;
  /** Failures other than 503, by kind. */
  otherFailures: Record<string, number>;
  serverCores: number;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Runs the overload measurement; resolves with the exit code (0: every requirement passed). */
export async function runOverload(options: OverloadOptions, cleanups: (() => Promise<void> | void)[], say: (m: string) => void): Promise<number> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-overload-'));
  if (options.dataDir === undefined) cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  // The queue has a place for each unloaded connection: unloaded, nothing is shed; 10× is overload.
  Object.assign(env, { GROUP_COMMIT_MAX_QUEUE: String(options.connections) }, options.serverEnv);
  say(`starting the app (SQLite in ${dataDir}, GROUP_COMMIT_MAX_QUEUE=${env.GROUP_COMMIT_MAX_QUEUE})`);
  const app = await startChild('app', ['bin/rcenter.js', 'serve'], { cwd: options.root, env });
  cleanups.push(async () => void (await stopChild(app, 'SIGKILL')));
  const bodies = createBodyFactory(options.seed);

  const pairs: { unloaded: Phase; overloaded: Phase }[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const unloaded = await measure(app.port, app.process.pid, options.connections, options, bodies);
    say(`round ${round} unloaded   ${describe(unloaded)}`);
    const overloaded = await measure(app.port, app.process.pid, options.connections * OVERLOAD_FACTOR, options, bodies);
    say(`round ${round} overloaded ${describe(overloaded)}`);
    pairs.push({ unloaded, overloaded });
  }
  return report(pairs);
}

async function measure(port: number, pid: number | undefined, connections: number, options: OverloadOptions, bodies: BodyFactory): Promise<Phase> {
  const agent = createAgent(connections);
  const accepted: number[] = [];
  const shed: number[] = [];
  let cpuAtStart = 0;
  let cpu = Number.NaN;
  try {
    const result = await runLoad(
      { name: 'app', port, path: '/api/v1/submissions', agent },
      {
        connections,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
        timeoutMs: options.timeoutMs,
        nextBody: () => bodies.next(),
        onResponse: () => {},
        onLatency: (status, ms, inWindow) => {
          if (inWindow && status === 201) accepted.push(ms);
          else if (inWindow && status === 503) shed.push(ms);
        },
        onWindow: (edge) => {
          if (edge === 'start') cpuAtStart = processCpuMs(pid);
          else cpu = processCpuMs(pid) - cpuAtStart;
        },
      },
    );
    const perSecond = (n: number) => (n / result.windowMs) * 1000;
    const otherFailures = Object.fromEntries(Object.entries(result.errors).filter(([kind]) => kind !== 'HTTP 503'));
    return {
      connections,
      acceptedPerSecond: perSecond(accepted.length),
      shedPerSecond: perSecond(shed.length),
      accepted: Float64Array.from(accepted).sort(),
      shed: Float64Array.from(shed).sort(),
      otherFailures,
      serverCores: cpu / result.windowMs,
    };
  } finally {
    agent.destroy();
  }
}

function describe(p: Phase): string {
  const failures = Object.entries(p.otherFailures).map(([kind, n]) => `${n} × ${kind}`).join(', ');
  return (
    `${String(p.connections).padStart(4)} connections: ${fmt(p.acceptedPerSecond, 0).padStart(6)} accepted/s (p50 ${fmt(percentile(p.accepted, 50))} ms, ` +
    `p99 ${fmt(percentile(p.accepted, 99))} ms), ${fmt(p.shedPerSecond, 0)} refused/s (503 p50 ${fmt(percentile(p.shed, 50))} ms, ` +
    `p99 ${fmt(percentile(p.shed, 99))} ms, max ${fmt(p.shed.at(-1) ?? Number.NaN)} ms); server ${fmt(p.serverCores, 2)} cores, ` +
    `${fmt((p.serverCores * 1e6) / (p.acceptedPerSecond + p.shedPerSecond), 0)} µs CPU per answer` +
    (failures ? `; other failures: ${failures}` : '')
  );
}

function report(pairs: { unloaded: Phase; overloaded: Phase }[]): number {
  const unloadedRate = median(pairs.map((p) => p.unloaded.acceptedPerSecond));
  const overloadedRate = median(pairs.map((p) => p.overloaded.acceptedPerSecond));
  const ratio = overloadedRate / unloadedRate;
  const shedP99 = median(pairs.map((p) => percentile(p.overloaded.shed, 99)));
  const shedAny = pairs.every((p) => p.overloaded.shed.length > 0);
  const failures = pairs.flatMap((p) => [p.unloaded, p.overloaded]).reduce((n, p) => n + Object.values(p.otherFailures).reduce((a, b) => a + b, 0), 0);
  const checks = [
    { ok: shedAny, text: `overload: ${OVERLOAD_FACTOR}× the connections were shed in every round (else the run measured no overload)` },
    { ok: ratio >= REQUIRED_GOODPUT_RATIO, text: `goodput: overloaded/unloaded accepted ${fmt(ratio, 3)} ≥ ${REQUIRED_GOODPUT_RATIO} (median ${fmt(overloadedRate, 0)} vs ${fmt(unloadedRate, 0)} /s)` },
    { ok: shedP99 <= REQUIRED_SHED_P99_MS, text: `refusals: 503 p99 ${fmt(shedP99)} ms ≤ ${REQUIRED_SHED_P99_MS} ms (median of rounds)` },
    { ok: failures === 0, text: `no failures other than 503 (${failures})` },
  ];
  process.stdout.write(`\nOverload (${OVERLOAD_FACTOR}×), ${pairs.length} round(s)\n`);
  for (const c of checks) process.stdout.write(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.text}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
