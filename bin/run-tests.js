#!/usr/bin/env node
// Test runner behind `npm test`.
//
//   npm test                      typecheck, then every test/**/*.test.ts(x)
//   npm test -- privacy receipt   only files whose path contains "privacy" or "receipt"
//   npm test -- --test-name-pattern=foo   arguments starting with "-" go to `node --test`
//
// PostgreSQL: TEST_DATABASE_URL (an admin URL that can CREATE DATABASE) if set; otherwise a
// throwaway cluster from scripts/throwaway-postgres.sh, stopped and removed when the run ends.
// Chromium: CHROMIUM_PATH if set, else /usr/bin/chromium; passed to the tests as RC_CHROMIUM.
// With CI=true a missing PostgreSQL or Chromium is an error and RC_TEST_REQUIRE_ALL=1 is set so
// that suites fail instead of skipping. RC_SKIP_TYPECHECK=1 skips `tsc --noEmit`.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIR = path.join(ROOT, 'test');
const PG_SCRIPT = path.join(ROOT, 'scripts', 'throwaway-postgres.sh');
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const CI = process.env.CI === 'true' || process.env.CI === '1';

const say = (msg) => process.stderr.write(`[run-tests] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// child processes and cleanup

let currentChild = null;
let throwawayDir = null;
let receivedSignal = null;

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, ...opts });
    currentChild = child;
    let stdout = '';
    if (child.stdout) child.stdout.on('data', (d) => (stdout += d));
    child.on('error', (err) => {
      currentChild = null;
      resolve({ code: 127, signal: null, stdout, error: err });
    });
    child.on('close', (code, signal) => {
      currentChild = null;
      resolve({ code, signal, stdout });
    });
  });
}

function exitCodeOf({ code, signal }) {
  if (signal) return 128 + (os.constants.signals[signal] ?? 1);
  return code ?? 1;
}

function stopThrowaway() {
  if (!throwawayDir) return;
  const dir = throwawayDir;
  throwawayDir = null;
  say(`stopping throwaway PostgreSQL in ${dir}`);
  const r = spawnSync('bash', [PG_SCRIPT, 'stop', dir], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    say(`WARNING: could not stop the throwaway PostgreSQL cleanly (exit ${r.status}); removing ${dir}`);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
}

function onSignal(sig) {
  if (receivedSignal) {
    // Second signal: stop waiting for the child.
    say(`${sig} again: exiting now`);
    if (currentChild) currentChild.kill('SIGKILL');
    stopThrowaway();
    process.exit(128 + os.constants.signals[sig]);
  }
  receivedSignal = sig;
  say(`${sig} received: stopping`);
  if (currentChild) {
    // The child normally got SIGINT from the terminal already; forwarding is harmless and
    // covers SIGTERM sent to this process alone. Cleanup happens when it has exited.
    currentChild.kill(sig);
  } else {
    stopThrowaway();
    process.exit(128 + os.constants.signals[sig]);
  }
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGHUP', () => onSignal('SIGHUP'));

// ---------------------------------------------------------------------------------------------
// test files

function collectTestFiles(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      if (err.code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.test\.tsx?$/.test(e.name)) out.push(path.relative(ROOT, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// banners

function banner(title, lines) {
  const bar = '!'.repeat(78);
  const text = [
    '',
    bar,
    `!!!  ${title}`,
    bar,
    ...lines.map((l) => `!!!  ${l}`),
    bar,
    '',
  ].join('\n');
  process.stderr.write(text + '\n');
}

function isExecutableFile(p) {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findInitdb() {
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => isExecutableFile(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  const nodeTestArgs = args.filter((a) => a.startsWith('-'));
  const filters = args.filter((a) => !a.startsWith('-'));

  let files = collectTestFiles(TEST_DIR);
  if (filters.length > 0) files = files.filter((f) => filters.some((s) => f.includes(s)));
  if (files.length === 0) {
    say(
      filters.length > 0
        ? `ERROR: no test file under test/ matches ${filters.map((f) => JSON.stringify(f)).join(' or ')}`
        : 'ERROR: no test files (test/**/*.test.ts, test/**/*.test.tsx) found',
    );
    return 1;
  }

  const missing = []; // { title, lines } for the SKIPPED banners
  const childEnv = { ...process.env };
  if (CI) childEnv.RC_TEST_REQUIRE_ALL = '1';

  // --- Chromium --------------------------------------------------------------------------------
  delete childEnv.RC_CHROMIUM;
  if (process.env.CHROMIUM_PATH) {
    if (!isExecutableFile(process.env.CHROMIUM_PATH)) {
      say(`ERROR: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`);
      return 1;
    }
    childEnv.RC_CHROMIUM = process.env.CHROMIUM_PATH;
  } else if (isExecutableFile(DEFAULT_CHROMIUM)) {
    childEnv.RC_CHROMIUM = DEFAULT_CHROMIUM;
  } else {
    missing.push({
      title: 'Chromium NOT FOUND: browser suites (JavaScript-off, accessibility, layout) are SKIPPED',
      lines: [
        `No CHROMIUM_PATH and no ${DEFAULT_CHROMIUM}. To run them:`,
        '    sudo apt-get install -y chromium',
        'or  CHROMIUM_PATH=/path/to/chromium npm test',
      ],
    });
  }
  if (childEnv.RC_CHROMIUM) say(`Chromium: ${childEnv.RC_CHROMIUM}`);

  // --- PostgreSQL ------------------------------------------------------------------------------
  if (process.env.TEST_DATABASE_URL) {
    say('PostgreSQL: using TEST_DATABASE_URL');
  } else if (findInitdb()) {
    throwawayDir = mkdtempSync(path.join(os.tmpdir(), 'rc-pg-'));
    say(`PostgreSQL: starting a throwaway cluster in ${throwawayDir}`);
    const r = await run('bash', [PG_SCRIPT, 'start', throwawayDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (receivedSignal) return 128 + os.constants.signals[receivedSignal];
    const url = r.stdout.trim().split('\n').pop();
    if (r.code === 0 && url) {
      childEnv.TEST_DATABASE_URL = url;
      say(`PostgreSQL: ${url}`);
    } else {
      stopThrowaway();
      missing.push({
        title: 'PostgreSQL FAILED TO START: PostgreSQL suites are SKIPPED',
        lines: [
          `scripts/throwaway-postgres.sh start failed (exit ${r.code}); see the messages above.`,
          'Fix that, or point the tests at a server you run yourself:',
          '    TEST_DATABASE_URL=postgres://postgres@localhost:5432/postgres npm test',
          '(an admin URL: the tests CREATE DATABASE on it)',
        ],
      });
    }
  } else {
    missing.push({
      title: 'PostgreSQL NOT FOUND: PostgreSQL suites are SKIPPED',
      lines: [
        'No TEST_DATABASE_URL and no /usr/lib/postgresql/*/bin/initdb. To run them:',
        '    sudo apt-get install -y postgresql-15      (a throwaway cluster is then started for each run)',
        'or  TEST_DATABASE_URL=postgres://postgres@localhost:5432/postgres npm test',
        '(an admin URL: the tests CREATE DATABASE on it)',
      ],
    });
  }

  // --- zim-tools (the ZIM of a mirror: zimwriterfs writes it, zimcheck checks it) ---------------
  delete childEnv.RC_ZIM_TOOLS;
  if (isExecutableFile('/usr/bin/zimwriterfs') && isExecutableFile('/usr/bin/zimcheck')) {
    childEnv.RC_ZIM_TOOLS = '1';
  } else {
    missing.push({
      title: 'zim-tools NOT FOUND: the ZIM test of export-site is SKIPPED',
      lines: ['No /usr/bin/zimwriterfs and /usr/bin/zimcheck. To run it:', '    sudo apt-get install -y zim-tools'],
    });
  }

  if (missing.length > 0 && CI) {
    for (const m of missing) banner(`CI=true: ${m.title.replace(/SKIPPED$/, 'REQUIRED')}`, m.lines);
    say('ERROR: CI=true and a required test dependency is missing; not running the tests');
    return 1;
  }
  for (const m of missing) banner(m.title, m.lines);

  // --- typecheck -------------------------------------------------------------------------------
  if (process.env.RC_SKIP_TYPECHECK === '1') {
    say('typecheck SKIPPED (RC_SKIP_TYPECHECK=1)');
  } else {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) {
      say('ERROR: node_modules/typescript is missing; run `npm ci` first');
      return 1;
    }
    say('typechecking: tsc --noEmit -p .');
    const r = await run(process.execPath, [tsc, '--noEmit', '-p', '.'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (receivedSignal) return 128 + os.constants.signals[receivedSignal];
    if (r.code !== 0) {
      say(`ERROR: typecheck failed (tsc exit ${exitCodeOf(r)}); not running the tests`);
      return exitCodeOf(r) || 1;
    }
    say('typecheck passed');
  }

  // --- tests -----------------------------------------------------------------------------------
  say(`running ${files.length} test file${files.length === 1 ? '' : 's'}`);
  const r = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...nodeTestArgs, ...files],
    { stdio: 'inherit', env: childEnv },
  );
  if (r.error) {
    say(`ERROR: could not start node: ${r.error.message}`);
    return 1;
  }
  for (const m of missing) banner(m.title, m.lines);
  if (receivedSignal) return 128 + os.constants.signals[receivedSignal];
  return exitCodeOf(r);
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  say(`ERROR: ${err && err.stack ? err.stack : err}`);
  exitCode = 1;
} finally {
  stopThrowaway();
}
process.exit(exitCode);
