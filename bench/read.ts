// Read benchmark: the public pages and the counter API of the real app over 1,000,000 published
// persons (made once by `rcenter demo`, cached), against Fastify's hello world measured in the
// same run on the same machine, in interleaved rounds; and search latency at low concurrency.
// See bench/README.md "# Read benchmark".
//
//   npm run bench:read                     3 rounds × 6 targets × (2 s warm-up + 10 s)
//   npm run bench:read -- --quick          smoke run: 2 rounds × 2 s
//   npm run bench:read -- --people 100000  a smaller database (cached separately)
//   npm run bench:read -- --help           every option
//
// Exit code 0 only if every requirement passes.
import { benchMain, numberOption, UsageError, type Cleanup } from './bench-main.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_SEARCH_TERMS } from '../src/domain/demo-vocabulary.js';
import { demoRandom } from '../src/domain/demo-random.js';
import { createAgent } from './load.js';
import { startChild, stopChild, type Child } from './processes.js';
import { DEFAULT_CACHE_ROOT, prepareReadData, type ReadData } from './read-data.js';
import { runReadLoad, type ReadTarget } from './read-load.js';
import { measureWindow, report, TARGETS, type Measurement, type TargetName } from './read-report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run bench:read -- [options]

  --people N           published persons in the database (default 1000000); generated once with
                       rcenter demo into a cache directory and reused by later runs
  --seed N             seed of the demo data (default 20261128)
  --cache-dir DIR      where the cached databases live (default ${DEFAULT_CACHE_ROOT})
  --fresh              generate the database again even if it is cached
  --duration S         measured seconds per target per round (default 10; --quick: 2)
  --warmup S           unmeasured seconds before each measurement (default 2; --quick: 0.5)
  --rounds N           rounds of hello, stats, home, day, statement, one-statement, search (default 3; --quick: 2)
  --connections N      keep-alive connections for the throughput targets (default 32)
  --search-connections N  connections for search, measured for latency (default 2)
  --quick              smoke run (2 s per measurement)
  --json FILE          also write every figure as JSON
`;

export interface Options {
  people: number;
  seed: number;
  cacheRoot: string;
  fresh: boolean;
  durationMs: number;
  warmupMs: number;
  rounds: number;
  connections: number;
  searchConnections: number;
  quick: boolean;
  jsonFile: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      'cache-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'search-connections': { type: 'string' },
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
    people: Math.round(num('people', values.people, 1_000_000, 1, 5_000_000)),
    seed: Math.round(num('seed', values.seed, 20261128, 0, 2 ** 32 - 1)),
    cacheRoot: path.resolve(values['cache-dir'] ?? DEFAULT_CACHE_ROOT),
    fresh: values.fresh ?? false,
    durationMs: num('duration', values.duration, quick ? 2 : 10, 0.5, 3600) * 1000,
    warmupMs: num('warmup', values.warmup, quick ? 0.5 : 2, 0, 600) * 1000,
    rounds: Math.round(num('rounds', values.rounds, quick ? 2 : 3, 1, 100)),
    connections: Math.round(num('connections', values.connections, 32, 1, 1024)),
    searchConnections: Math.round(num('search-connections', values['search-connections'], 2, 1, 64)),
    quick,
    jsonFile: values.json ? path.resolve(values.json) : undefined,
  };
}

function say(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Search queries as readers type them: 1- to 4-character Chinese words and English words. */
/** `n` written with the digits !#$%&()*+, (no letters or digits: nothing the query parser keeps). */
export function punctuationCounter(n: number): string {
  return [...String(n)].map((d) => '!#$%&()*+,'[Number(d)]).join('');
}

export function searchQueries(): { kind: string; q: string }[] {
  return Object.entries(DEMO_SEARCH_TERMS).flatMap(([kind, terms]) => terms.map((q) => ({ kind, q })));
}

/** The paths each target requests, varied per request where the page is. */
function pathsFor(data: ReadData, seed: number): Record<TargetName, () => string> {
  const random = demoRandom(seed ^ 0x1234567);
  const queries = searchQueries();
  let searches = 0;
  return {
    hello: () => '/',
    stats: () => '/api/v1/stats',
    home: () => '/zh-hans/',
    day: () => `/zh-hans/statements/${data.busyDay}`,
    statement: () => `/zh-hans/s/${random.int(1, data.maxNumber)}`,
    // The newest statement every time: a page the cache keeps, as the day list is one page.
    'one-statement': () => `/zh-hans/s/${data.maxNumber}`,
    // Every search URL is new, so the page cache never answers and the figure is the search
    // itself, as for a reader with a query nobody typed just before. The cache keys on `q` and
    // ignores unknown parameters, so the query text itself varies: a counter spelled in
    // punctuation after a space, which the query parser drops (the same search, a new key).
    search: () => `/zh-hans/search?q=${encodeURIComponent(`${random.pick(queries).q} ${punctuationCounter(++searches)}`)}`,
  };
}

async function run(options: Options, cleanups: Cleanup[]): Promise<number> {
  const data = await prepareReadData(options.cacheRoot, ROOT, options.seed, options.people, options.fresh, say);
  say(`${data.persons.toLocaleString('en')} persons in ${data.maxNumber.toLocaleString('en')} statements; busiest day ${data.busyDay} (${data.busyDayPersons} persons)`);

  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  delete baseEnv.DATABASE_URL;
  delete baseEnv.NODE_OPTIONS;
  const appEnv = { ...baseEnv, HOST: '127.0.0.1', PORT: '0', DATA_DIR: data.dataDir, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
  say('starting the app: node bin/rcenter.js serve');
  const app = await startChild('app', ['bin/rcenter.js', 'serve'], { cwd: ROOT, env: appEnv });
  cleanups.push(async () => void (await stopChild(app, 'SIGTERM')));
  say('starting the hello-world server: node --import tsx bench/hello-server.ts');
  const hello = await startChild('hello', ['--import', 'tsx', 'bench/hello-server.ts'], { cwd: ROOT, env: { ...baseEnv, PORT: '0' } });
  cleanups.push(async () => void (await stopChild(hello, 'SIGTERM')));

  const paths = pathsFor(data, options.seed);
  const names = TARGETS;
  const targets = new Map<TargetName, { target: ReadTarget; child: Child; connections: number }>();
  for (const name of names) {
    const child = name === 'hello' ? hello : app;
    const connections = name === 'search' ? options.searchConnections : options.connections;
    targets.set(name, { target: { name, port: child.port, nextPath: paths[name], agent: createAgent(connections) }, child, connections });
  }
  cleanups.push(() => {
    for (const { target } of targets.values()) target.agent.destroy();
  });

  say(`${options.rounds} round(s) of ${names.join(', ')}; per measurement ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s`);
  const measurements: Measurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const name of names) {
      const { target, child, connections } = targets.get(name)!;
      const window = measureWindow(child.process.pid);
      const result = await runReadLoad(target, {
        connections,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
        timeoutMs: 10_000,
        onWindow: window.onWindow,
      });
      const m = window.measurement(round, name, connections, result);
      measurements.push(m);
      const failed = Object.values(m.errors).reduce((a, b) => a + b, 0);
      say(`round ${round} ${name.padEnd(9)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms${failed ? `  ${failed} failed: ${JSON.stringify(m.errors)}` : ''}`);
    }
  }

  const { text, pass, figures } = report(options, data, measurements, searchQueries());
  process.stdout.write(text);
  if (options.jsonFile) fs.writeFileSync(options.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
  return pass ? 0 : 1;
}

benchMain(USAGE, parseOptions, run);
