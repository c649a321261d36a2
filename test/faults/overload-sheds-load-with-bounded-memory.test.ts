// Far more submissions than the service can take, for a sustained stretch: it sheds the excess
// with 503 `unavailable` and Retry-After instead of queueing without end; its memory stays
// bounded (and does not keep growing); it keeps answering reads; every submission it acknowledged
// with 201 is stored; and it takes submissions again afterwards.
//
// Two bounds do the shedding (README "Operations"), both before a request's body is read
// (load-shedder.ts): requests with a body beyond MAX_POSTS_IN_FLIGHT, and submissions beyond the
// free places of the writer's queue (GROUP_COMMIT_MAX_QUEUE). The first case gives the server
// small values of both and CONNECTIONS sockets, each sending one submission after another as fast
// as answers come back, for HAMMER_MS; the others hold requests whose bodies never finish arriving,
// so that a refusal can only have come before the body was read.
//
// Behaviour only: how many submissions a second this machine takes, and how fast it refuses,
// are figures of `npm run bench:ingest -- --overload`, not of a test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { hashReceipt, parseReceipt } from '../../src/domain/receipt.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { request, sleep, submission, submitMany, waitUntil, withSqliteFile, type Answer } from './fault-support.js';

const CONNECTIONS = 500;
const HAMMER_MS = 8_000;
const MAX_QUEUE = 64;
const MAX_POSTS_IN_FLIGHT = 200;
/** Characters of statement text per submission (≈ 3 bytes each in UTF-8). */
const TEXT_LENGTH = 4_000;
/** The server's resident memory must stay under this during the whole overload… */
const RSS_BOUND_MIB = 450;
/** …and grow by less than this from where it was before. */
const RSS_GROWTH_BOUND_MIB = 250;

function rssMiB(pid: number, field = 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const skip = fs.existsSync('/proc/self/status') ? false : 'no /proc to read the server’s memory from';

describe('overload: the service sheds load with 503 before reading bodies, and its memory stays bounded', { skip }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-overload-'));
  const dataDir = path.join(root, 'data');
  const servers: ServerProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServerProcess({ env: { DATA_DIR: dataDir, RATE_LIMITS: 'off', LOG_LEVEL: 'error', ...env } });
    servers.push(server);
    return server;
  };
  // A failed case must not leave its server running (the test process would wait for it).
  afterEach(async () => {
    for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) await server.kill();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`${CONNECTIONS} connections for ${HAMMER_MS / 1000} s against a queue of ${MAX_QUEUE} and ${MAX_POSTS_IN_FLIGHT} requests in flight`, async (t) => {
    const server = await start({ GROUP_COMMIT_MAX_QUEUE: String(MAX_QUEUE), MAX_POSTS_IN_FLIGHT: String(MAX_POSTS_IN_FLIGHT) });
    const pid = server.child.pid!;
    const port = server.port;
    // Warm: the code paths and caches that any normal run has.
    await submitMany(port, 200, 8, 1_000_000);
    const baseline = rssMiB(pid);

    const samples: { at: number; rss: number; anon: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ at: Date.now() - started, rss: rssMiB(pid), anon: rssMiB(pid, 'RssAnon') }), 100);
    // Reading must stay possible: one look at the counter every 200 ms, on a connection of its own.
    const reads: Answer[] = [];
    const failedReads: string[] = [];
    const readAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const reader = (async () => {
      while (Date.now() - started < HAMMER_MS) {
        await request(port, '/api/v1/stats', { agent: readAgent, timeoutMs: 60_000 }).then(
          (answer) => reads.push(answer),
          (error) => failedReads.push(String(error)),
        );
        await sleep(200);
      }
    })();

    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const answers: Answer[] = [];
    const errors: string[] = [];
    const acked: string[] = [];
    let n = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() - started < HAMMER_MS) {
          try {
            const answer = await request(port, '/api/v1/submissions', { body: submission(n++, TEXT_LENGTH), agent, timeoutMs: 60_000 });
            answers.push(answer);
            if (answer.status === 201) acked.push((JSON.parse(answer.body) as { receipt: string }).receipt);
          } catch (error) {
            errors.push(String(error));
          }
        }
      }),
    );
    await reader;
    clearInterval(sampler);
    agent.destroy();
    readAgent.destroy();

    const shed = answers.filter((a) => a.status === 503);
    const shedMs = shed.map((a) => a.ms).sort((a, b) => a - b);
    const ackedMs = answers.filter((a) => a.status === 201).map((a) => a.ms).sort((a, b) => a - b);
    const peak = samples.reduce((max, s) => Math.max(max, s.rss), 0);
    const readMs = reads.map((a) => a.ms).sort((a, b) => a - b);
    t.diagnostic(
      `${answers.length} answers in ${HAMMER_MS / 1000} s: ${acked.length} × 201 (p50 ${percentile(ackedMs, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(ackedMs, 99).toFixed(0)} ms), ${shed.length} × 503 (p50 ${percentile(shedMs, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(shedMs, 99).toFixed(0)} ms); ${errors.length} connection errors; RSS baseline ${baseline.toFixed(0)} MiB, ` +
        `peak ${peak.toFixed(0)} MiB (anonymous memory every 2 s: ${samples.filter((_, i) => i % 20 === 0).map((s) => s.anon.toFixed(0)).join(' ')}); ` +
        `reads ${reads.length}, p50 ${percentile(readMs, 50).toFixed(0)} ms, max ${readMs.at(-1)?.toFixed(0)} ms`,
    );

    // It shed, and it served: every answer is an acceptance or a refusal with Retry-After.
    assert.deepEqual(errors.slice(0, 5), [], 'requests failed at the connection');
    assert.deepEqual([...new Set(answers.map((a) => a.status))].filter((s) => s !== 201 && s !== 503), [], 'answers other than 201 and 503');
    assert.ok(acked.length > 0, 'nothing accepted under overload');
    for (const answer of shed) {
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'unavailable');
      assert.match(String(answer.headers['retry-after']), /^\d+$/);
    }
    // Memory bounded. (V8 lets its heap grow between major collections — a saw-tooth of
    // ≈ 100 MiB over ≈ 20 s in a 30 s run here — so the bound is on the peak, not on a trend.)
    assert.ok(peak < RSS_BOUND_MIB, `RSS reached ${peak.toFixed(0)} MiB (bound ${RSS_BOUND_MIB} MiB)`);
    assert.ok(peak - baseline < RSS_GROWTH_BOUND_MIB, `RSS grew by ${(peak - baseline).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND_MIB} MiB)`);
    // Reads answered throughout, if slower (every request waits its turn among the connections).
    assert.deepEqual(failedReads, [], 'a read was not answered');
    assert.ok(reads.length > 0 && reads.every((r) => r.status === 200), 'a read was refused');
    // It recovers: once the flood ends, a submission is taken.
    assert.equal((await request(port, '/api/v1/submissions', { body: submission(n++), timeoutMs: 60_000 })).status, 201);

    // Every 201 is stored: SIGKILL, then read the file.
    await server.kill();
    const stored = withSqliteFile(dataDir, (db) => new Set(db.prepare('select receipt_hash from submission').pluck().all() as string[]));
    assert.deepEqual(acked.filter((r) => !stored.has(hashReceipt(parseReceipt(r)!))), [], 'acknowledged submissions are missing');
  });

  it(`request bodies in flight are bounded: beyond ${MAX_POSTS_IN_FLIGHT} a POST is refused before its body arrives`, async () => {
    const server = await start({ MAX_POSTS_IN_FLIGHT: String(MAX_POSTS_IN_FLIGHT), REQUEST_TIMEOUT_MS: '600000' });
    const port = server.port;
    // MAX_POSTS_IN_FLIGHT submissions that announce 200 KB, send 1 KB of it, then wait.
    const held = await Promise.all(Array.from({ length: MAX_POSTS_IN_FLIGHT }, () => holdBody(port, '/api/v1/submissions')));
    // One more: 503 without waiting for (or buffering) the body it announces, never sent.
    await assertRefusedBeforeBody(port, '/api/v1/submissions');
    await assertRefusedBeforeBody(port, '/api/v1/receipt');
    // Reading is not counted: still served.
    assert.equal((await request(port, '/api/v1/stats', { timeoutMs: 60_000 })).status, 200);

    // Clients that give up free their places: submissions are taken again.
    for (const req of held) req.destroy();
    await waitUntil('a submission accepted after the held requests were dropped', async () => {
      const answer = await request(port, '/api/v1/submissions', { body: submission(1), timeoutMs: 60_000 });
      return answer.status === 201;
    }, 60_000);
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  });

  it(`a full writer queue refuses submissions before their body is read; other requests go on`, async () => {
    const queue = 8;
    const server = await start({ GROUP_COMMIT_MAX_QUEUE: String(queue), MAX_POSTS_IN_FLIGHT: String(MAX_POSTS_IN_FLIGHT), REQUEST_TIMEOUT_MS: '600000' });
    const port = server.port;
    // As many submissions as the queue has places, each holding its place with a body that never ends.
    const held = await Promise.all(Array.from({ length: queue }, (_, i) => holdBody(port, i % 2 ? '/api/v1/submissions' : '/en/submit')));
    // The next one, by the API or by the form, is refused before its body: nothing of it is sent.
    await assertRefusedBeforeBody(port, '/api/v1/submissions');
    await assertRefusedBeforeBody(port, '/zh-hant/submit', 'application/x-www-form-urlencoded');
    // Requests that do not write a submission are not refused for it.
    const lookUp = await request(port, '/api/v1/receipt', { body: { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' }, timeoutMs: 60_000 });
    assert.notEqual(lookUp.status, 503, lookUp.body);
    assert.equal((await request(port, '/api/v1/stats', { timeoutMs: 60_000 })).status, 200);

    for (const req of held) req.destroy();
    await waitUntil('a submission accepted after the held requests were dropped', async () => {
      const answer = await request(port, '/api/v1/submissions', { body: submission(2), timeoutMs: 60_000 });
      return answer.status === 201;
    }, 60_000);
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  });
});

/**
 * A POST that announces 200 KB, sends 1 KB, then waits: resolved once the server has taken the
 * request in (its `100 Continue` comes when the request is dispatched, just before its hooks run).
 */
function holdBody(port: number, url: string): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: url,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': 200_000, expect: '100-continue' },
    });
    req.once('continue', () => {
      req.write(' '.repeat(1_000));
      resolve(req);
    });
    req.once('response', (response) => reject(new Error(`a held request was answered ${response.statusCode}`)));
    req.on('error', () => {}); // destroyed by the test
    req.flushHeaders();
  });
}

/**
 * A POST that announces a 200 KB body and sends one byte of it is answered 503 `unavailable` with
 * Retry-After: an answer that can only come before the body was read. (Without the bound it
 * would wait for the body until REQUEST_TIMEOUT_MS, ten minutes here.)
 */
async function assertRefusedBeforeBody(port: number, url: string, contentType = 'application/json'): Promise<void> {
  const refused = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: url, agent: false, headers: { 'content-type': contentType, 'content-length': 200_000, 'accept-language': 'en' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (d: string) => (body += d));
        response.on('end', () => {
          resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'], body });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    // A deadline for a failing run only, far beyond any machine's time to answer.
    req.setTimeout(60_000, () => req.destroy(new Error(`${url}: a request beyond the bound was not refused`)));
    req.write('{');
  });
  assert.equal(refused.status, 503, `${url}: ${refused.body.slice(0, 200)}`);
  if (contentType === 'application/json') assert.equal((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'unavailable');
  assert.match(String(refused.retryAfter), /^\d+$/);
}
