// Hostile-load benchmark: a normal client's submissions and page reads, alone and then beside
// hostile connections that send the worst requests we know of (bench/hostile-requests.ts), in
// interleaved rounds in the same run, with the app's event-loop delay measured inside it.
// See bench/README.md "# Hostile-load benchmark".
//
//   npm run bench:hostile                  3 rounds × (quiet, hostile) × (2 s warm-up + 10 s)
//   npm run bench:hostile -- --quick       smoke run: 2 rounds × 3 s
//   npm run bench:hostile -- --help        every option
//
// Exit code 0 only if every requirement passes (1: one failed; 2: bad options; 3: it broke).
import { benchMain, numberOption, UsageError, type Cleanup } from './bench-main.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../src/storage/database.js';
import { createBodyFactory } from './bodies.js';
import { startClient, type Tally } from './hostile-client.js';
import { floodBody, readerRequests } from './hostile-requests.js';
import { percentile } from './load.js';
import { startChild, stopChild, type Child } from './processes.js';
import { DEFAULT_CACHE_ROOT, prepareReadData } from './read-data.js';
import { FLOOD_SIZE, readLoopDelay, report, type Window } from './hostile-report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run bench:hostile -- [options]

  --people N        published persons in the database (default 100000), made once by rcenter demo
                    and cached (shared with bench:read), copied for each run
  --seed N          seed of the demo data and of the requests (default 20261128)
  --cache-dir DIR   where the cached databases live (default ${DEFAULT_CACHE_ROOT})
  --duration S      measured seconds per window (default 10; --quick: 3)
  --warmup S        unmeasured seconds before each window (default 2; --quick: 1)
  --rounds N        rounds of (quiet, hostile) windows (default 3; --quick: 2)
  --hostile N       hostile connections (default 4)
  --rate-limits on|off  the app's rate limits (default on, as deployed; the normal client's
                    submissions are not limited, since it stands for many declarants)
  --mix worst|cache-hits  what the hostile connections send (default worst; cache-hits, the home
                    page again and again, is the control: what any 4 busy connections cost)
  --quick           smoke run
  --json FILE       also write every figure as JSON
`;

interface Options {
  people: number;
  seed: number;
  cacheRoot: string;
  durationMs: number;
  warmupMs: number;
  rounds: number;
  hostile: number;
  rateLimits: boolean;
  mix: 'worst' | 'cache-hits';
  jsonFile: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      'cache-dir': { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      hostile: { type: 'string' },
      'rate-limits': { type: 'string' },
      mix: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const num = numberOption;
  return {
    people: Math.round(num('people', values.people, 100_000, 1, 5_000_000)),
    seed: Math.round(num('seed', values.seed, 20261128, 0, 2 ** 32 - 1)),
    cacheRoot: path.resolve(values['cache-dir'] ?? DEFAULT_CACHE_ROOT),
    durationMs: num('duration', values.duration, quick ? 3 : 10, 0.5, 3600) * 1000,
    warmupMs: num('warmup', values.warmup, quick ? 1 : 2, 0, 600) * 1000,
    rounds: Math.round(num('rounds', values.rounds, quick ? 2 : 3, 1, 100)),
    hostile: Math.round(num('hostile', values.hostile, 4, 1, 256)),
    rateLimits: parseSwitch(values['rate-limits']),
    mix: parseMix(values.mix),
    jsonFile: values.json ? path.resolve(values.json) : undefined,
  };
}

function parseSwitch(raw: string | undefined): boolean {
  if (raw === undefined || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new UsageError('--rate-limits must be on or off');
}

function parseMix(raw: string | undefined): Options['mix'] {
  if (raw === undefined || raw === 'worst') return 'worst';
  if (raw === 'cache-hits') return 'cache-hits';
  throw new UsageError('--mix must be worst or cache-hits');
}

/**
 * The normal client's addresses: it stands for many readers and declarants, each under the
 * per-client limits (the work budget among them) as a real one would be — 200 addresses, so each
 * makes a few requests a second at the quiet rates.
 */
const NORMAL_ADDRESSES = Array.from({ length: 200 }, (_, i) => `127.0.1.${i + 1}`);

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs an rcenter command on the copy of the data; returns its standard output. */
function rcenter(dataDir: string, args: string[], input?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, ['bin/rcenter.js', ...args], { cwd: ROOT, env, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rcenter ${args[0]} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** An editor's API token, for the queue views. */
function editorToken(dataDir: string): string {
  rcenter(dataDir, ['user', 'add', '--name', 'bench-editor', '--role', 'editor', '--password-file', '-'], 'bench editor password 2026');
  return rcenter(dataDir, ['token', 'create', '--user', 'bench-editor', '--label', 'bench']).trim().split('\n').pop()!;
}

/** The flood the queue views have to show: FLOOD_SIZE submissions of the same 19,990-character text. */
async function flood(port: number): Promise<void> {
  for (let i = 0; i < FLOOD_SIZE; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: floodBody(i).toString('utf8') });
    if (response.status !== 201) throw new Error(`flood submission ${i} answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * Waits until the app's hint indexer has no backlog (a database made by an older version is
 * indexed again after a migration), so that the rounds measure what they mean to.
 */
async function waitForIndexer(dataDir: string): Promise<void> {
  const database = openDatabase({ dataDir, poolSize: 1 });
  try {
    for (let said = 0; ; ) {
      const row = await database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).where('text_indexed', '=', 0).executeTakeFirstOrThrow();
      if (Number(row.n) === 0) return;
      if (Date.now() - said > 10_000) {
        say(`waiting for the hint indexer: ${Number(row.n).toLocaleString('en')} submissions left`);
        said = Date.now();
      }
      await sleep(1000);
    }
  } finally {
    await database.close();
  }
}

function startHostile(port: number, options: Options, token: string, round: number): { stop(): Promise<{ outcomes: Record<string, number>; slowest: Record<string, number> }> } {
  const worker = new Worker(new URL('./hostile-worker.mjs', import.meta.url), {
    workerData: { port, connections: options.hostile, seed: options.seed + round, staffToken: token, localAddress: '127.0.0.2', mix: options.mix },
  });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}

/**
 * With limits on, submissions are not limited (the normal client stands for many declarants, each
 * under their limit; the flood is 75 of them) and every other limit is as deployed, so the hostile
 * address meets the limits a real one would (open-data files not cached: 30 an hour).
 */
function limits(on: boolean): NodeJS.ProcessEnv {
  if (!on) return { RATE_LIMITS: 'off' };
  return { RATE_LIMITS: 'on', RATE_LIMIT_VERIFIED_PER_HOUR: '1000000', RATE_LIMIT_UNVERIFIED_PER_HOUR: '1000000' };
}

async function run(options: Options, cleanups: Cleanup[]): Promise<number> {
  const data = await prepareReadData(options.cacheRoot, ROOT, options.seed, options.people, false, say);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-hostile-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  fs.cpSync(data.dataDir, dataDir, { recursive: true });
  say(`${data.persons.toLocaleString('en')} persons, copied to ${dataDir}`);
  const token = editorToken(dataDir);

  const loopFile = path.join(dataDir, 'loop-delay.json');
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RC_BENCH_LOOP_FILE: loopFile, ...limits(options.rateLimits) };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const app: Child = await startChild('app', ['--import', './bench/loop-delay-probe.mjs', 'bin/rcenter.js', 'serve'], { cwd: ROOT, env });
  cleanups.push(async () => void (await stopChild(app, 'SIGTERM')));
  await waitForIndexer(dataDir);
  say(`flooding the queue: ${FLOOD_SIZE} submissions of one 19,990-character text`);
  await flood(app.port);

  let measuring = false;
  const bodies = createBodyFactory(options.seed);
  const common = { port: app.port, localAddress: NORMAL_ADDRESSES, connections: 1, timeoutMs: 30_000, measuring: () => measuring };
  const submitter = startClient({ ...common, next: () => ({ kind: 'submit', method: 'POST', path: '/api/v1/submissions', body: bodies.next() }), ok: (_k, s) => s === 201 });
  const reader = startClient({ ...common, next: readerRequests(options.seed, data.maxNumber), ok: (_k, s) => s === 200 });
  cleanups.push(() => Promise.all([submitter.stop(), reader.stop()]).then(() => {}));

  const windows: Window[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const hostile of [false, true]) {
      // Each window starts with no indexing left over from the one before (the normal client's
      // submissions of a quiet window would otherwise be indexed in the hostile one after it).
      await Promise.all([submitter.pause(), reader.pause()]);
      await waitForIndexer(dataDir);
      submitter.resume();
      reader.resume();
      const attack = hostile ? startHostile(app.port, options, token, round) : undefined;
      await sleep(options.warmupMs);
      submitter.reset();
      reader.reset();
      await readLoopDelay(app, loopFile); // resets the histogram
      measuring = true;
      const started = performance.now();
      await sleep(options.durationMs);
      measuring = false;
      const ms = performance.now() - started;
      const loop = await readLoopDelay(app, loopFile);
      const attacked = attack ? await attack.stop() : undefined;
      const window = summarise(round, hostile, ms, submitter.tally(), reader.tally(), loop, attacked);
      windows.push(window);
      say(
        `round ${round} ${hostile ? 'hostile' : 'quiet  '}  submit ${window.submitRate.toFixed(1)}/s p99 ${window.submitP99.toFixed(1)} ms` +
          `  read ${window.readRate.toFixed(1)}/s p99 ${window.readP99.toFixed(1)} ms  event loop p99 ${loop.p99.toFixed(1)} ms max ${loop.max.toFixed(1)} ms` +
          (attacked ? `  hostile ${JSON.stringify(attacked.outcomes)}` : ''),
      );
    }
  }
  const { text, pass, figures } = report(windows, options);
  process.stdout.write(text);
  if (options.jsonFile) fs.writeFileSync(options.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
  return pass ? 0 : 1;
}

function summarise(round: number, hostile: boolean, ms: number, submits: Tally, reads: Tally, loop: Window['loop'], attacked: Window['hostileOutcomes'] | undefined): Window {
  const sorted = (t: Tally, kind: string) => Float64Array.from(t.latencies.get(kind) ?? []).sort();
  const served = (t: Tally, key: string) => t.outcomes.get(key) ?? 0;
  const errors = [...submits.outcomes, ...reads.outcomes].filter(([k]) => k.endsWith('(error)'));
  return {
    round,
    hostile,
    submitRate: (served(submits, 'submit 201') / ms) * 1000,
    submitP99: percentile(sorted(submits, 'submit'), 99),
    readRate: (served(reads, 'read 200') / ms) * 1000,
    readP99: percentile(sorted(reads, 'read'), 99),
    submitLatencies: [...sorted(submits, 'submit')],
    readLatencies: [...sorted(reads, 'read')],
    errors: Object.fromEntries(errors),
    loop,
    hostileOutcomes: attacked,
  };
}

benchMain(USAGE, parseOptions, run);
