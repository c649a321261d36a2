// `rcenter verify` of the demo over HTTP (issue 14): ≤ 60 s and ≤ 300 MB on this machine.
// A demo database (1,000,000 persons by default, made once and cached) is copied, served by
// `rcenter serve` (rate limits off: one verifier reading every day's list would otherwise be
// slowed by the work budget, which it waits out), its transparency log integrated, and then
// `rcenter verify URL --key KEY` runs as a child process, timed, its peak memory read from /proc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { benchMain, numberOption, type Cleanup } from './bench-main.js';
import { startChild, stopChild } from './processes.js';
import { DEFAULT_CACHE_ROOT } from './read-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT_S = 60;
const LIMIT_MB = 300;

const USAGE = `usage: npm run bench:verify -- [options]

Times \`rcenter verify\` of the demo database over HTTP (≤ ${LIMIT_S} s, ≤ ${LIMIT_MB} MB peak).

  --people N        persons in the demo database (default 1000000)
  --seed N          demo seed (default 20261128)
  --cache-dir DIR   where the cached databases live (default ${DEFAULT_CACHE_ROOT})
  -h, --help        this text
`;

interface Options {
  people: number;
  seed: number;
  cacheRoot: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { people: { type: 'string' }, seed: { type: 'string' }, 'cache-dir': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  return {
    people: Math.round(numberOption('people', values.people, 1_000_000, 1, 5_000_000)),
    seed: Math.round(numberOption('seed', values.seed, 20261128, 0, 2 ** 32 - 1)),
    cacheRoot: path.resolve(values['cache-dir'] ?? DEFAULT_CACHE_ROOT),
  };
}

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(options: Options, cleanups: Cleanup[]): Promise<number> {
  const data = await demoData(options, say);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-verify-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  fs.cpSync(data.dataDir, dataDir, { recursive: true });
  say(`${data.persons.toLocaleString('en')} persons, copied to ${dataDir}; starting serve (migrations, then the log's integration)`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
  delete env.DATABASE_URL;
  const app = await startChild('app', ['bin/rcenter.js', 'serve'], { cwd: ROOT, env, timeoutMs: 1_800_000 });
  cleanups.push(async () => void (await stopChild(app, 'SIGTERM')));
  const url = `http://127.0.0.1:${app.port}`;
  const key = (await (await fetch(`${url}/log/key`)).text()).trim();
  // Integrated when the checkpoint's size stops growing and covers every event.
  const integrationStarted = performance.now();
  let last = -1;
  for (let said = 0; ; ) {
    const response = await fetch(`${url}/log/checkpoint`);
    const size = response.ok ? Number((await response.text()).split('\n')[1]) : 0;
    const stats = (await (await fetch(`${url}/api/v1/stats`)).json()) as { log?: { size: number } };
    if (size > 0 && size === last && stats.log?.size === size) break;
    last = size;
    if (Date.now() - said > 10_000) {
      say(`log integrated up to entry ${size.toLocaleString('en')}`);
      said = Date.now();
    }
    await sleep(2_000);
  }
  say(`log of ${last.toLocaleString('en')} entries integrated (${((performance.now() - integrationStarted) / 1000).toFixed(0)} s including the wait); verifying`);
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/rcenter.js', 'verify', url, '--key', key], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // gone
    }
  }, 100);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const mb = peakKb / 1024;
  process.stdout.write(output);
  const pass = code === 0 && seconds <= LIMIT_S && mb <= LIMIT_MB;
  process.stdout.write(
    `\nrcenter verify of ${data.persons.toLocaleString('en')} persons (${last.toLocaleString('en')} entries) over HTTP: exit ${code}, ${seconds.toFixed(1)} s, peak ${mb.toFixed(0)} MB\n` +
      `requirement: verified, ≤ ${LIMIT_S} s, ≤ ${LIMIT_MB} MB: ${pass ? 'PASS' : 'FAIL'}\n`,
  );
  return pass ? 0 : 1;
}

/**
 * The demo database, generated once by `rcenter demo` under `--cache-dir` and reused (no stored
 * statement pages: verify reads the JSON API and the log only).
 */
async function demoData(options: Options, report: (m: string) => void): Promise<{ dataDir: string; persons: number }> {
  const dir = path.join(options.cacheRoot, `rc-bench-verify-seed${options.seed}-people${options.people}`);
  const dataDir = path.join(dir, 'data');
  const marker = path.join(dir, 'complete.json');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    report(`generating ${options.people.toLocaleString('en')} persons with rcenter demo into ${dataDir}; later runs reuse it`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['bin/rcenter.js', 'demo', '--people', String(options.people), '--seed', String(options.seed)], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) throw new Error(`rcenter demo failed (exit ${code})`);
    fs.writeFileSync(marker, JSON.stringify({ people: options.people, seed: options.seed }));
  }
  return { dataDir, persons: options.people };
}

benchMain(USAGE, parseOptions, run);
