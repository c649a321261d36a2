// `rcenter export-site` of the demo (issue 15): a full export's throughput against a bare loop
// that writes the same files (same count, same sizes) in the same run, ≥ 0.5 of it; an incremental
// export after one more day of publications (about 1,500 persons) in ≤ 10 s; `rcenter verify DIR`
// of the export in ≤ 120 s; peak memory of each command ≤ 300 MB. Each command runs as a child
// process, timed, its peak memory read from /proc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { benchMain, numberOption, type Cleanup } from './bench-main.js';
import { DEFAULT_CACHE_ROOT } from './read-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_RATIO = 0.5;
const INCREMENTAL_S = 10;
const VERIFY_S = 120;
const LIMIT_MB = 300;

const USAGE = `usage: npm run bench:export -- [options]

Times rcenter export-site (full, then --since auto after one more day) and rcenter verify DIR on the demo.

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

/** Runs `bin/rcenter.js args`, timed, with its peak resident memory; its stdout. */
async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; seconds: number; mb: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/rcenter.js', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // gone
    }
  }, 100);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  return { code, seconds: (performance.now() - started) / 1000, mb: peakKb / 1024, stdout };
}

/** The baseline: a bare loop writing files of the sizes files.txt lists, into a fresh directory. */
function bareLoop(list: string, into: string): number {
  const sizes = list.split('\n').filter(Boolean).map((line) => Number(line.split(' ')[1]));
  const started = performance.now();
  const filler = Buffer.alloc(Math.max(1, ...sizes), 0x61);
  for (const [i, size] of sizes.entries()) {
    const dir = path.join(into, String(i % 1000));
    if (i < 1000) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${i}.html`), filler.subarray(0, size));
  }
  return (performance.now() - started) / 1000;
}

async function run(options: Options, cleanups: Cleanup[]): Promise<number> {
  const data = await demoData(options);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-export-'));
  cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
  const dataDir = path.join(work, 'data');
  fs.cpSync(data, dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const mirror = path.join(work, 'mirror');

  say('full export');
  const full = await timed(['export-site', mirror], env);
  if (full.code !== 0) throw new Error(`export-site failed (exit ${full.code})`);
  const list = fs.readFileSync(path.join(mirror, 'mirror/files.txt'), 'utf8');
  const files = list.split('\n').filter(Boolean).length;
  say('baseline: the same files written by a bare loop');
  const bareSeconds = bareLoop(list, path.join(work, 'bare'));
  fs.rmSync(path.join(work, 'bare'), { recursive: true, force: true });
  const ratio = bareSeconds / full.seconds;

  say('one more day: 1,500 persons, then an incremental export');
  const more = await timed(['demo', '--people', '1500', '--append', '--seed', String(options.seed + 1)], env);
  if (more.code !== 0) throw new Error(`demo --append failed (exit ${more.code})`);
  const incremental = await timed(['export-site', mirror, '--since', 'auto'], env);
  if (incremental.code !== 0) throw new Error(`export-site --since auto failed (exit ${incremental.code})`);

  say('rcenter verify DIR');
  const verify = await timed(['verify', mirror], env);

  const rows = [
    ['full export', `${full.seconds.toFixed(1)} s, ${files.toLocaleString('en')} files, ${Math.round(files / full.seconds).toLocaleString('en')} files/s, peak ${full.mb.toFixed(0)} MB`],
    ['bare loop (same files)', `${bareSeconds.toFixed(1)} s, ${Math.round(files / bareSeconds).toLocaleString('en')} files/s`],
    ['ratio (export / bare loop)', `${ratio.toFixed(3)} (need ≥ ${MIN_RATIO})`],
    ['incremental after 1,500 persons', `${incremental.seconds.toFixed(1)} s (need ≤ ${INCREMENTAL_S}), peak ${incremental.mb.toFixed(0)} MB`],
    ['verify DIR', `exit ${verify.code}, ${verify.seconds.toFixed(1)} s (need ≤ ${VERIFY_S}), peak ${verify.mb.toFixed(0)} MB`],
  ];
  const pass =
    ratio >= MIN_RATIO && incremental.seconds <= INCREMENTAL_S && verify.code === 0 && verify.seconds <= VERIFY_S && Math.max(full.mb, incremental.mb, verify.mb) <= LIMIT_MB;
  process.stdout.write(`\nexport-site of ${options.people.toLocaleString('en')} demo persons\n${rows.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\nrequirement: ${pass ? 'PASS' : 'FAIL'}\n`);
  return pass ? 0 : 1;
}

/** The demo database, generated once under `--cache-dir` and reused (the verify bench's). */
async function demoData(options: Options): Promise<string> {
  const dir = path.join(options.cacheRoot, `rc-bench-verify-seed${options.seed}-people${options.people}`);
  const dataDir = path.join(dir, 'data');
  const marker = path.join(dir, 'complete.json');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    say(`generating ${options.people.toLocaleString('en')} persons with rcenter demo into ${dataDir}; later runs reuse it`);
    const result = await timed(['demo', '--people', String(options.people), '--seed', String(options.seed)], { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' });
    if (result.code !== 0) throw new Error(`rcenter demo failed (exit ${result.code})`);
    fs.writeFileSync(marker, JSON.stringify({ people: options.people, seed: options.seed }));
  }
  return dataDir;
}

benchMain(USAGE, parseOptions, run);
