// PostgreSQL goes away under load and comes back: while it is down every request that needs it
// is answered at once with 503 `unavailable` and Retry-After — the catalog error under /api/, a
// localized page elsewhere — nothing waits past a bounded time, nothing is a 500, and the same
// server process serves again by itself once the database is back (no restart). Every 201 is in
// the database afterwards.
//
// The test runs its own throwaway cluster (scripts/throwaway-postgres.sh), so that it can stop
// it (pg_ctl stop -m fast: sessions end with 57P01, new connections find no socket) and start it
// again, without touching the cluster the other suites share.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { hashReceipt, parseReceipt } from '../../src/domain/receipt.js';
import { ROOT, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { request, sleep, submission, type Answer } from './fault-support.js';

/** Clients in a closed loop, each sending one request after the other. */
const CLIENTS = 12;
/** How long the database stays down. */
const OUTAGE_MS = 4_000;
/** DATABASE_CONNECT_TIMEOUT_MS for the server (its default). */
const CONNECT_TIMEOUT_MS = 3_000;
/** No request may take longer than this, outage or not: the connect timeout and a margin. */
const BOUND_MS = CONNECT_TIMEOUT_MS + 2_000;
/** The localized "unavailable" message of the zh-hans pages (error-catalog.ts). */
const UNAVAILABLE_ZH_HANS = '服务繁忙或暂时不可用';

const SCRIPT = path.join(ROOT, 'scripts', 'throwaway-postgres.sh');

function postgresBinDir(): string | undefined {
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
    return versions.map((v) => `/usr/lib/postgresql/${v}/bin`).filter((d) => fs.existsSync(`${d}/pg_ctl`)).pop();
  } catch {
    return undefined;
  }
}

const binDir = postgresBinDir();
const skip = binDir || process.env.RC_TEST_REQUIRE_ALL === '1' ? false : 'PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl): the outage test needs a cluster of its own';

/** pg_ctl on the throwaway cluster, as its owner (postgres when run as root, like the script). */
async function pgCtl(dir: string, ...args: string[]): Promise<void> {
  const command = [`${binDir}/pg_ctl`, '-D', path.join(dir, 'data'), '-w', '-t', '60', ...args];
  const [file, ...rest] = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
  // Not synchronous: the clients' requests are timed meanwhile.
  await promisify(execFile)(file!, rest);
}

type Kind = 'api-submit' | 'form-submit' | 'search-page' | 'api-stats';
const KINDS: Kind[] = ['api-submit', 'form-submit', 'search-page', 'api-stats'];

interface Sent {
  kind: Kind;
  at: number;
  answer?: Answer;
  error?: string;
}

function send(port: number, kind: Kind, n: number, agent: http.Agent): Promise<Answer> {
  const options = { agent, timeoutMs: 30_000 };
  switch (kind) {
    case 'api-submit':
      return request(port, '/api/v1/submissions', { ...options, body: submission(n) });
    case 'form-submit': {
      const form = new URLSearchParams([
        ['language', 'zh-hans'],
        ['d0.displayName', `表单${n}`],
        ['d0.nameKind', 'pseudonym'],
        ['d0.organizations', 'party'],
        ['d0.region', '110000'],
        ['text', `数据库中断测试 ${n}`],
        ['website', ''],
      ]);
      return request(port, '/zh-hans/submit', { ...options, body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }
    case 'search-page':
      // A new query each time: never answered from the page cache.
      return request(port, `/zh-hans/search?q=${encodeURIComponent(`中断${n}`)}`, options);
    case 'api-stats':
      return request(port, '/api/v1/stats', options);
  }
}

describe('database outage: 503 with Retry-After while PostgreSQL is down, service resumes by itself', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-outage-'));
  fs.rmdirSync(dir); // the script wants to create it
  let server: ServerProcess | undefined;
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.kill();
    execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' });
  });

  it(`${CLIENTS} clients, PostgreSQL stopped for ${OUTAGE_MS / 1000} s and started again`, async (t) => {
    const adminUrl = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('create database rc_outage');
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = '/rc_outage';
    const databaseUrl = url.toString();

    server = await startServerProcess({ env: { DATABASE_URL: databaseUrl, RATE_LIMITS: 'off', LOG_LEVEL: 'warn', DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) } });
    const pid = server.child.pid;
    const port = server.port;

    const sent: Sent[] = [];
    const phase = { stopped: Infinity, stoppedDone: Infinity, started: Infinity, startedDone: Infinity };
    let stopLoad = false;
    let n = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const client = async (c: number) => {
      while (!stopLoad) {
        const kind = KINDS[c % KINDS.length]!;
        const entry: Sent = { kind, at: Date.now() };
        sent.push(entry);
        try {
          entry.answer = await send(port, kind, n++, agent);
        } catch (error) {
          entry.error = String(error);
        }
        if (entry.answer?.status === 503) await sleep(20); // as a polite client would, only shorter
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    await sleep(1_000);
    phase.stopped = Date.now();
    await pgCtl(dir, '-m', 'fast', 'stop');
    phase.stoppedDone = Date.now();
    await sleep(OUTAGE_MS);
    phase.started = Date.now();
    await pgCtl(dir, '-l', path.join(dir, 'server.log'), 'start');
    phase.startedDone = Date.now();
    // Load goes on until every kind of request has succeeded again (or the time is up).
    const recovered = new Map<Kind, number>();
    const deadline = Date.now() + 20_000;
    while (recovered.size < KINDS.length && Date.now() < deadline) {
      for (const s of sent) {
        if (s.at > phase.startedDone && s.answer && s.answer.status < 400 && !recovered.has(s.kind)) recovered.set(s.kind, s.at + s.answer.ms - phase.startedDone);
      }
      await sleep(50);
    }
    stopLoad = true;
    await load;
    agent.destroy();

    const during = sent.filter((s) => s.at > phase.stoppedDone + 200 && s.answer && s.at + s.answer.ms < phase.started);
    const byKind = (list: Sent[]) => Object.fromEntries(KINDS.map((k) => [k, list.filter((s) => s.kind === k).length]));
    const slowest = sent.reduce((max, s) => Math.max(max, s.answer?.ms ?? 0), 0);
    t.diagnostic(
      `${sent.length} requests; during the outage ${during.length} (${JSON.stringify(byKind(during))}); ` +
        `slowest ${slowest.toFixed(0)} ms; back after ${JSON.stringify(Object.fromEntries(recovered))} ms from the start of PostgreSQL`,
    );

    // Nothing broke at the connection, nothing hung, nothing was a 500, the process never left.
    assert.deepEqual(sent.filter((s) => s.error).map((s) => `${s.kind}: ${s.error}`).slice(0, 5), []);
    assert.ok(slowest < BOUND_MS, `a request took ${slowest.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
    assert.deepEqual(sent.filter((s) => s.answer!.status >= 500 && s.answer!.status !== 503).map((s) => `${s.kind} ${s.answer!.status}`).slice(0, 5), []);
    assert.equal(server.child.pid, pid);
    assert.equal(server.child.exitCode, null, `the server exited: ${server.stderr()}`);

    // While it was down: 503, Retry-After, the catalog error or the localized page.
    for (const kind of ['api-submit', 'form-submit', 'search-page'] as const) {
      const answers = during.filter((s) => s.kind === kind).map((s) => s.answer!);
      assert.ok(answers.length >= 3, `only ${answers.length} ${kind} requests while the database was down`);
      for (const answer of answers) {
        assert.equal(answer.status, 503, `${kind} during the outage: ${answer.status} ${answer.body.slice(0, 300)}`);
        assert.match(String(answer.headers['retry-after']), /^\d+$/, `${kind}: no Retry-After`);
        if (kind === 'api-submit') {
          assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'unavailable');
        } else {
          assert.match(String(answer.headers['content-type']), /^text\/html/);
          assert.ok(answer.body.includes(UNAVAILABLE_ZH_HANS), `${kind}: the page is not the localized "unavailable" page`);
          assert.match(answer.body, /<html lang="zh-Hans"/i);
        }
      }
    }
    // The counter reads the database too, unless it was cached: never anything but 200 or 503.
    for (const s of during.filter((s) => s.kind === 'api-stats')) assert.ok([200, 503].includes(s.answer!.status), s.answer!.body);

    // Back by itself.
    assert.equal(recovered.size, KINDS.length, `not every kind of request succeeded again: ${JSON.stringify(Object.fromEntries(recovered))}`);

    // Every acknowledged submission (API) is stored.
    const receipts = sent
      .filter((s) => s.kind === 'api-submit' && s.answer?.status === 201)
      .map((s) => hashReceipt(parseReceipt((JSON.parse(s.answer!.body) as { receipt: string }).receipt)!));
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const stored = new Set((await db.query<{ receipt_hash: string }>('select receipt_hash from submission')).rows.map((r) => r.receipt_hash));
      assert.deepEqual(receipts.filter((h) => !stored.has(h)), [], 'acknowledged submissions are missing');
    } finally {
      await db.end();
    }

    // The outage was logged — a few lines, not one per request — with the error's code and
    // message and nothing of any request; no error was unhandled; no query string anywhere.
    const log = server.stdout().toString('utf8') + server.stderr().toString('utf8');
    const outageLines = log.split('\n').filter((line) => line.includes('database unavailable'));
    assert.ok(outageLines.length >= 1, 'the outage was not logged');
    assert.ok(outageLines.length <= Math.ceil((phase.startedDone - phase.stopped) / 5_000) + 2, `${outageLines.length} lines about the outage`);
    for (const line of outageLines) {
      assert.deepEqual(Object.keys(JSON.parse(line) as object).sort(), ['database', 'hostname', 'level', 'msg', 'pid', 'suppressed', 'time'], line);
    }
    assert.doesNotMatch(log, /unhandled error/);
    assert.doesNotMatch(log, /q=|中断|数据库中断测试/);
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.stderr().toString());
  });
});
