// Ingest benchmark: durable submissions per second through the real HTTP API, against a Fastify
// JSON echo server measured in the same run on the same machine. See bench/README.md.
//
//   npm run bench:ingest                      3 rounds × (echo 10 s, app 10 s), 32 connections, SQLite
//   npm run bench:ingest -- --quick           smoke run: 2 rounds × 2 s
//   npm run bench:ingest -- --database postgres   PostgreSQL (TEST_DATABASE_URL, else a throwaway cluster)
//   npm run bench:ingest -- --overload        goodput under 10× overload (bench/overload.ts)
//   npm run bench:ingest -- --help            every option
//
// Exit code 0 only if every requirement passes.
import { benchMain, numberOption, UsageError, type Cleanup } from './bench-main.js';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashReceipt, parseReceipt } from '../src/domain/receipt.js';
import { openDatabase } from '../src/storage/database.js';
import { createBodyFactory } from './bodies.js';
import { createAgent, median, percentile, runLoad, type LoadResult, type LoadTarget } from './load.js';
import { runOverload } from './overload.js';
import { machineSample, processCpuMs, startChild, stopChild, type Child, type MachineSample } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG_SCRIPT = path.join(ROOT, 'scripts', 'throwaway-postgres.sh');

/** The requirement (issue "ingest benchmark"). */
const REQUIRED_RATIO = 0.6;
const REQUIRED_P99_MS = 50;
/** Above this many cores used by other processes in a window, the run is flagged as disturbed. */
const OTHER_CORES_WARNING = 0.25;

const USAGE = `usage: npm run bench:ingest -- [options]

  --duration S         measured seconds per target per round (default 10; --quick: 2)
  --warmup S           unmeasured seconds before each measurement (default 2; --quick: 0.5)
  --rounds N           echo/app pairs, interleaved echo, app, echo, app… (default 3; --quick: 2)
  --connections N      concurrent keep-alive connections, one request in flight each (default 32)
  --database D         sqlite (default) or postgres: TEST_DATABASE_URL (an admin URL that can
                       CREATE DATABASE) if set, otherwise a throwaway cluster (scripts/throwaway-postgres.sh)
  --quick              smoke run (2 s per measurement)
  --overload           goodput under overload instead (SQLite): per round the app's accepted rate with
                       --connections connections (GROUP_COMMIT_MAX_QUEUE set to as many), then with 10×
                       as many; passes if the overloaded rate is ≥ 70 % of the unloaded one and 503 p99 ≤ 50 ms
  --timeout-ms N       a request slower than this is abandoned and counted as failed (default 10000)

  for investigation (not for the recorded figures):
  --data-dir DIR       SQLite directory (default: a fresh temporary directory); e.g. a directory
                       under /dev/shm (tmpfs) to see what the app does when fsync costs nothing
  --server-env K=V     extra environment for the app (repeatable), e.g. GROUP_COMMIT_MAX_BATCH=64
  --cpu-prof DIR       run the app with --cpu-prof and write its .cpuprofile into DIR
  --json FILE          also write every figure as JSON
  --seed N             seed for the synthetic bodies (default 20261127)
  --baseline B         echo (default, the recorded requirement) or durable-echo: the echo server
                       plus a group-committed append of each body to SQLite (synchronous = FULL),
                       bench/durable-echo-server.ts — the storage floor, to set the app against
`;

interface Options {
  durationMs: number;
  warmupMs: number;
  rounds: number;
  connections: number;
  database: 'sqlite' | 'postgres';
  timeoutMs: number;
  dataDir: string | undefined;
  serverEnv: Record<string, string>;
  cpuProfDir: string | undefined;
  jsonFile: string | undefined;
  seed: number;
  quick: boolean;
  baseline: 'echo' | 'durable-echo';
  overload: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      database: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
      'data-dir': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      seed: { type: 'string' },
      baseline: { type: 'string' },
      overload: { type: 'boolean', default: false },
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
  const database = values.database ?? 'sqlite';
  if (database !== 'sqlite' && database !== 'postgres') throw new UsageError('--database must be sqlite or postgres');
  const baseline = values.baseline ?? 'echo';
  if (baseline !== 'echo' && baseline !== 'durable-echo') throw new UsageError('--baseline must be echo or durable-echo');
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--server-env wants KEY=VALUE (got "${pair}")`);
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    durationMs: num('duration', values.duration, quick ? 2 : 10, 0.5, 3600) * 1000,
    warmupMs: num('warmup', values.warmup, quick ? 0.5 : 2, 0, 600) * 1000,
    rounds: Math.round(num('rounds', values.rounds, quick ? 2 : 3, 1, 100)),
    connections: Math.round(num('connections', values.connections, 32, 1, 1024)),
    database,
    timeoutMs: num('timeout-ms', values['timeout-ms'], 10_000, 100, 600_000),
    dataDir: values['data-dir'] ? path.resolve(values['data-dir']) : undefined,
    serverEnv,
    cpuProfDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined,
    jsonFile: values.json ? path.resolve(values.json) : undefined,
    seed: Math.round(num('seed', values.seed, 20261127, 0, 2 ** 32 - 1)),
    quick,
    baseline,
    overload: values.overload ?? false,
  };
}


// ---------------------------------------------------------------------------------------------
// PostgreSQL: a scratch database on TEST_DATABASE_URL, or a throwaway cluster

interface PostgresTarget {
  url: string;
  cleanup(): Promise<void>;
}

async function preparePostgres(): Promise<PostgresTarget> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopCluster = async () => {};
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-pg-'));
    say(`starting a throwaway PostgreSQL cluster in ${dir}`);
    const started = spawnSync('bash', [PG_SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (started.status !== 0) throw new Error('could not start a throwaway PostgreSQL (set TEST_DATABASE_URL instead)');
    adminUrl = started.stdout.trim();
    stopCluster = async () => {
      spawnSync('bash', [PG_SCRIPT, 'stop', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    };
  }
  const name = `rc_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`create database ${name}`);
  } catch (error) {
    await stopCluster();
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: async () => {
      try {
        await admin(`drop database if exists ${name} with (force)`);
      } finally {
        await stopCluster();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// measurement

interface Measurement {
  round: number;
  target: 'echo' | 'app';
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  created: number;
  errors: Record<string, number>;
  /** Failed requests over the whole measurement, warm-up and drain included. */
  totalFailed: number;
  /** CPU ms per created request, of the server process and of this (client) process. */
  serverCpuPerRequest: number;
  clientCpuPerRequest: number;
  /** Share of the server process's time on CPU during the window (1 = one core). */
  serverCores: number;
  clientCores: number;
  /** Share of all CPUs busy, waiting for I/O, and stolen by the hypervisor, during the window (0..1). */
  machineBusy: number;
  machineIowait: number;
  machineSteal: number;
  latencies: Float64Array;
}

function say(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');


async function run(options: Options, cleanups: Cleanup[]): Promise<number> {
  if (options.overload) {
    if (options.database !== 'sqlite') throw new UsageError('--overload runs on SQLite only');
    return runOverload({ ...options, root: ROOT }, cleanups, say);
  }
  // --- where the data goes
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-'));
    dataDir = dir;
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  } else if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new UsageError(`--data-dir ${dataDir} is not empty; give a new or empty directory`);
  }
  let databaseUrl: string | undefined;
  if (options.database === 'postgres') {
    const target = await preparePostgres();
    databaseUrl = target.url;
    cleanups.push(() => target.cleanup());
  }

  // --- the two servers, each in its own process
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  delete baseEnv.DATABASE_URL;
  delete baseEnv.NODE_OPTIONS;
  const appEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.serverEnv,
  };
  const appArgs = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    'bin/rcenter.js',
    'serve',
  ];
  say(`starting the app: node ${appArgs.join(' ')} (${options.database}${options.database === 'sqlite' ? ` in ${dataDir}` : ''})`);
  const app = await startChild('app', appArgs, { cwd: ROOT, env: appEnv });
  let appStopped = false;
  cleanups.push(async () => {
    if (!appStopped) await stopChild(app, 'SIGKILL');
  });
  const baselineFile = options.baseline === 'durable-echo' ? 'bench/durable-echo-server.ts' : 'bench/echo-server.ts';
  const baselineEnv: NodeJS.ProcessEnv = { ...baseEnv, PORT: '0' };
  if (options.baseline === 'durable-echo') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-durable-echo-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    baselineEnv.DATA_DIR = dir;
  }
  say(`starting the baseline: node --import tsx ${baselineFile}`);
  const echo = await startChild('echo', ['--import', 'tsx', baselineFile], { cwd: ROOT, env: baselineEnv });
  cleanups.push(async () => void (await stopChild(echo, 'SIGTERM')));

  // --- load
  const bodies = createBodyFactory(options.seed);
  const targets: Record<'echo' | 'app', { target: LoadTarget; child: Child }> = {
    echo: { target: { name: 'echo', port: echo.port, path: '/api/v1/submissions', agent: createAgent(options.connections) }, child: echo },
    app: { target: { name: 'app', port: app.port, path: '/api/v1/submissions', agent: createAgent(options.connections) }, child: app },
  };
  const receipts: string[] = [];
  let malformed = 0;
  const measurements: Measurement[] = [];
  say(
    `${options.rounds} round(s) of echo then app; per measurement ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s; ` +
      `${options.connections} connections`,
  );

  for (let round = 1; round <= options.rounds; round++) {
    for (const name of ['echo', 'app'] as const) {
      const { target, child } = targets[name];
      let samples: { server: number; client: NodeJS.CpuUsage; machine: MachineSample } | undefined;
      let cpu = { server: Number.NaN, client: Number.NaN, busy: Number.NaN, iowait: Number.NaN, steal: Number.NaN, windowMs: Number.NaN };
      const started = performance.now();
      let windowStarted = 0;
      const result: LoadResult = await runLoad(target, {
        connections: options.connections,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
        timeoutMs: options.timeoutMs,
        nextBody: () => bodies.next(),
        onResponse: (status, text) => {
          // Both targets' answers are parsed, so the client does the same work for each.
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (name !== 'app' || status !== 201) return;
          const receipt = (parsed as { receipt?: unknown } | undefined)?.receipt;
          if (typeof receipt === 'string' && parseReceipt(receipt) !== null) receipts.push(receipt);
          else malformed++;
        },
        onWindow: (edge) => {
          if (edge === 'start') {
            windowStarted = performance.now();
            samples = { server: processCpuMs(child.process.pid), client: process.cpuUsage(), machine: machineSample() };
          } else if (samples) {
            const machine = machineSample();
            const total = machine.total - samples.machine.total;
            const client = process.cpuUsage(samples.client);
            cpu = {
              server: processCpuMs(child.process.pid) - samples.server,
              client: (client.user + client.system) / 1000,
              busy: (machine.busy - samples.machine.busy) / total,
              iowait: (machine.iowait - samples.machine.iowait) / total,
              steal: (machine.steal - samples.machine.steal) / total,
              windowMs: performance.now() - windowStarted,
            };
          }
        },
      });
      const m: Measurement = {
        round,
        target: name,
        rps: (result.created / result.windowMs) * 1000,
        p50: percentile(result.latencies, 50),
        p90: percentile(result.latencies, 90),
        p99: percentile(result.latencies, 99),
        max: result.latencies.length ? result.latencies[result.latencies.length - 1]! : Number.NaN,
        created: result.created,
        errors: result.errors,
        totalFailed: result.totalFailed,
        serverCpuPerRequest: cpu.server / result.created,
        clientCpuPerRequest: cpu.client / result.created,
        serverCores: cpu.server / cpu.windowMs,
        clientCores: cpu.client / cpu.windowMs,
        machineBusy: cpu.busy,
        machineIowait: cpu.iowait,
        machineSteal: cpu.steal,
        latencies: result.latencies,
      };
      measurements.push(m);
      const errorCount = Object.values(m.errors).reduce((a, b) => a + b, 0);
      say(
        `round ${round} ${name.padEnd(4)} ${fmt(m.rps, 0).padStart(6)} req/s  p50 ${fmt(m.p50)} ms  p99 ${fmt(m.p99)} ms` +
          `${errorCount ? `  ${errorCount} failed` : ''}  (${fmt((performance.now() - started) / 1000)} s)`,
      );
    }
  }

  // --- stop the app hard: what it acknowledged must already be on disk, not in a buffer flushed at exit
  const stopSignal: NodeJS.Signals = options.cpuProfDir ? 'SIGTERM' : 'SIGKILL';
  say(`stopping the app (${stopSignal}${stopSignal === 'SIGKILL' ? ': acknowledged submissions must already be durable' : ', to write the CPU profile'})`);
  const appExit = await stopChild(app, stopSignal);
  appStopped = true;
  if (stopSignal === 'SIGTERM' && appExit !== '0') say(`the app exited with ${appExit}:\n${app.output()}`);
  for (const { target } of Object.values(targets)) target.agent.destroy();

  // --- every acknowledged receipt must be in the database, and nothing else
  say('verifying receipts against the database');
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 1 });
  let stored: Set<string>;
  let rowCount: number;
  try {
    const rows = await database.db.selectFrom('submission').select('receipt_hash').execute();
    stored = new Set(rows.map((r) => r.receipt_hash));
    rowCount = rows.length;
  } finally {
    await database.close();
  }
  const acknowledgedHashes = receipts.map((r) => hashReceipt(parseReceipt(r)!));
  const missing = acknowledgedHashes.filter((h) => !stored.has(h)).length;
  const distinct = new Set(acknowledgedHashes).size;

  // --- summary
  const echoes = measurements.filter((m) => m.target === 'echo');
  const apps = measurements.filter((m) => m.target === 'app');
  const echoRps = median(echoes.map((m) => m.rps));
  const appRps = median(apps.map((m) => m.rps));
  const ratio = appRps / echoRps;
  const pairRatios = apps.map((a) => a.rps / echoes.find((e) => e.round === a.round)!.rps);
  const appP50 = median(apps.map((m) => m.p50));
  const appP99 = median(apps.map((m) => m.p99));
  const pooled = (list: Measurement[]) => {
    const all = new Float64Array(list.reduce((n, m) => n + m.latencies.length, 0));
    let at = 0;
    for (const m of list) {
      all.set(m.latencies, at);
      at += m.latencies.length;
    }
    return all.sort();
  };
  const appPooled = pooled(apps);
  const echoPooled = pooled(echoes);
  const windowErrors: Record<string, number> = {};
  for (const m of apps) for (const [k, v] of Object.entries(m.errors)) windowErrors[k] = (windowErrors[k] ?? 0) + v;

  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out();
  out(`Ingest benchmark — ${new Date().toISOString().slice(0, 10)}, ${options.database}, ${options.connections} connections, ` +
    `${options.rounds} × (${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s) per target`);
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `Linux ${os.release()}, Node ${process.version}`);
  if (options.dataDir || Object.keys(options.serverEnv).length || options.cpuProfDir || options.baseline !== 'echo') {
    out(`investigation settings: ${[
      options.baseline !== 'echo' ? `--baseline ${options.baseline} (the rows named "echo" are it; not the recorded requirement)` : '',
      options.dataDir ? `data dir ${options.dataDir}` : '',
      ...Object.entries(options.serverEnv).map(([k, v]) => `${k}=${v}`),
      options.cpuProfDir ? `--cpu-prof ${options.cpuProfDir}` : '',
    ].filter(Boolean).join(', ')}`);
  }
  out();
  const header = ['round', 'target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed', 'srv CPU ms/req', 'srv cores', 'client cores', 'other cores', 'iowait', 'steal'];
  const rows = measurements.map((m) => [
    String(m.round),
    m.target,
    fmt(m.rps, 0),
    fmt(m.p50),
    fmt(m.p90),
    fmt(m.p99),
    fmt(m.max),
    String(Object.values(m.errors).reduce((a, b) => a + b, 0)),
    fmt(m.serverCpuPerRequest, 3),
    fmt(m.serverCores, 2),
    fmt(m.clientCores, 2),
    fmt(m.machineBusy * os.cpus().length - m.serverCores - m.clientCores, 2),
    `${fmt(m.machineIowait * 100, 0)} %`,
    `${fmt(m.machineSteal * 100, 0)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(row(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out(row(r));
  out();
  out(`median echo      ${fmt(echoRps, 0).padStart(6)} req/s   p50 ${fmt(median(echoes.map((m) => m.p50)))} ms   p99 ${fmt(median(echoes.map((m) => m.p99)))} ms` +
    `   (all rounds pooled: p99 ${fmt(percentile(echoPooled, 99))} ms)`);
  out(`median app       ${fmt(appRps, 0).padStart(6)} req/s   p50 ${fmt(appP50)} ms   p99 ${fmt(appP99)} ms` +
    `   (all rounds pooled: p99 ${fmt(percentile(appPooled, 99))} ms)`);
  out(`app / echo       ${fmt(ratio, 3)}   (per round: ${pairRatios.map((r) => fmt(r, 3)).join(', ')})`);
  const disturbed = measurements.filter((m) => m.machineBusy * os.cpus().length - m.serverCores - m.clientCores > OTHER_CORES_WARNING);
  if (disturbed.length > 0) {
    out(
      `WARNING: other processes used more than ${OTHER_CORES_WARNING} of a core during ` +
        `${disturbed.map((m) => `round ${m.round} ${m.target}`).join(', ')} ("other cores"); the machine was not quiet, ` +
        'and a heavier server suffers more from that than the echo server: run again before recording figures.',
    );
  }
  out(`receipts         ${receipts.length} acknowledged (201), ${distinct} distinct, ${rowCount} rows in submission, ${missing} missing`);
  out();

  const checks: { ok: boolean; text: string }[] = [
    { ok: ratio >= REQUIRED_RATIO, text: `throughput: app/echo ${fmt(ratio, 3)} ≥ ${REQUIRED_RATIO.toFixed(2)} (median ${fmt(appRps, 0)} vs ${fmt(echoRps, 0)} req/s)` },
    { ok: appP99 <= REQUIRED_P99_MS, text: `latency: app p99 ${fmt(appP99)} ms ≤ ${REQUIRED_P99_MS} ms (median of rounds)` },
    {
      ok: receipts.length > 0 && missing === 0 && distinct === receipts.length && rowCount === receipts.length && malformed === 0,
      text:
        `durability: every acknowledged receipt is in the database (${receipts.length - missing}/${receipts.length} found, ` +
        `rows ${rowCount} = 201s ${receipts.length}${malformed ? `, ${malformed} 201s without a valid receipt` : ''})`,
    },
    {
      ok: apps.every((m) => m.totalFailed === 0),
      text:
        `errors: no app request failed (${apps.reduce((n, m) => n + m.totalFailed, 0)} failed` +
        `${Object.keys(windowErrors).length ? `; in the windows: ${JSON.stringify(windowErrors)}` : ''})`,
    },
  ];
  for (const c of checks) out(`${c.ok ? 'PASS' : 'FAIL'}  ${c.text}`);
  const pass = checks.every((c) => c.ok);
  out();
  out(pass ? 'RESULT: PASS' : 'RESULT: FAIL');
  process.stdout.write(`${lines.join('\n')}\n`);

  if (options.jsonFile) {
    const figures = {
      date: new Date().toISOString(),
      options: { ...options, serverEnv: options.serverEnv },
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, kernel: os.release() },
      measurements: measurements.map(({ latencies: _l, ...m }) => m),
      summary: {
        echoRps,
        appRps,
        ratio,
        pairRatios,
        appP50,
        appP99,
        appP99Pooled: percentile(appPooled, 99),
        receipts: receipts.length,
        rows: rowCount,
        missing,
        disturbed: disturbed.map((m) => `round ${m.round} ${m.target}`),
      },
      checks,
      pass,
    };
    fs.writeFileSync(options.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
  }
  return pass ? 0 : 1;
}

benchMain(USAGE, parseOptions, run);
