// Far more submissions than the service can take, for a sustained stretch: it sheds the excess
// with 503 `unavailable` and Retry-After, quickly, instead of queueing without end; its memory
// stays bounded (and does not keep growing); it keeps answering reads; and every submission it
// acknowledged with 201 is stored.
//
// Two bounds do the shedding (README "Operations"): requests with a body beyond
// MAX_POSTS_IN_FLIGHT are refused before their body is read (load-shedder.ts), and submissions
// beyond GROUP_COMMIT_MAX_QUEUE waiting to be written are refused at once (group-commit.ts). The
// test gives the server small values of both and CONNECTIONS sockets, each sending one
// submission after another as fast as answers come back, for HAMMER_MS.
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
const HAMMER_MS = 12_000;
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

describe('overload: the service sheds load with 503 quickly and its memory stays bounded', { skip }, () => {
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
        await request(port, '/api/v1/stats', { agent: readAgent, timeoutMs: 15_000 }).then(
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
            const answer = await request(port, '/api/v1/submissions', { body: submission(n++, TEXT_LENGTH), agent, timeoutMs: 30_000 });
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

    // It shed, and it served.
    assert.deepEqual(errors.slice(0, 5), [], 'requests failed at the connection');
    assert.deepEqual([...new Set(answers.map((a) => a.status))].sort(), [201, 503]);
    assert.ok(shed.length > acked.length, 'the load was not beyond capacity: nothing to shed');
    assert.ok(acked.length >= 1_000, `only ${acked.length} submissions accepted under overload`);
    for (const answer of shed) {
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'unavailable');
      assert.match(String(answer.headers['retry-after']), /^\d+$/);
    }
    // Quickly: faster than an acceptance, and none waits long. (With CONNECTIONS each sending
    // again at once, every request waits its turn behind the others: Little's law, not a queue.)
    assert.ok(percentile(shedMs, 50) < percentile(ackedMs, 50), 'a refusal is no faster than an acceptance');
    assert.ok(percentile(shedMs, 50) < 500, `median 503 took ${percentile(shedMs, 50).toFixed(0)} ms`);
    assert.ok(percentile(shedMs, 99) < 3_000, `p99 of 503s took ${percentile(shedMs, 99).toFixed(0)} ms`);
    // Memory bounded. (V8 lets its heap grow between major collections — a saw-tooth of
    // ≈ 100 MiB over ≈ 20 s in a 30 s run here — so the bound is on the peak, not on a trend.)
    assert.ok(peak < RSS_BOUND_MIB, `RSS reached ${peak.toFixed(0)} MiB (bound ${RSS_BOUND_MIB} MiB)`);
    assert.ok(peak - baseline < RSS_GROWTH_BOUND_MIB, `RSS grew by ${(peak - baseline).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND_MIB} MiB)`);
    // Reads answered throughout, if slower (every request waits its turn among the connections).
    assert.deepEqual(failedReads, [], 'a read was not answered');
    assert.ok(reads.length >= HAMMER_MS / 2_000, `only ${reads.length} reads answered`);
    assert.ok(reads.every((r) => r.status === 200), 'a read was refused');

    // Every 201 is stored: SIGKILL, then read the file.
    await server.kill();
    const stored = withSqliteFile(dataDir, (db) => new Set(db.prepare('select receipt_hash from submission').pluck().all() as string[]));
    assert.deepEqual(acked.filter((r) => !stored.has(hashReceipt(parseReceipt(r)!))), [], 'acknowledged submissions are missing');
  });

  it(`request bodies in flight are bounded: beyond ${MAX_POSTS_IN_FLIGHT} a POST is refused before its body arrives`, async () => {
    const server = await start({ MAX_POSTS_IN_FLIGHT: String(MAX_POSTS_IN_FLIGHT) });
    const port = server.port;
    // MAX_POSTS_IN_FLIGHT submissions that announce 200 KB and send 1 KB of it, then wait.
    const held = Array.from({ length: MAX_POSTS_IN_FLIGHT }, () => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/submissions',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': 200_000 },
      });
      req.on('error', () => {}); // destroyed below
      req.write(' '.repeat(1_000));
      return req;
    });
    await sleep(500);
    // One more: 503 at once, without waiting for (or buffering) the body it announces.
    const refused = await new Promise<{ status: number; retryAfter: string | undefined; body: string; ms: number }>((resolve, reject) => {
      const startedAt = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/submissions', agent: false, headers: { 'content-type': 'application/json', 'content-length': 200_000 } },
        (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (d: string) => (body += d));
          response.on('end', () => {
            resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'], body, ms: performance.now() - startedAt });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      // Without the bound it would wait for the body until REQUEST_TIMEOUT_MS.
      req.setTimeout(5_000, () => req.destroy(new Error('the request beyond the bound was not refused within 5 s')));
      req.write('{');
    });
    assert.equal(refused.status, 503, refused.body);
    assert.equal((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'unavailable');
    assert.match(String(refused.retryAfter), /^\d+$/);
    assert.ok(refused.ms < 1_000, `the refusal took ${refused.ms.toFixed(0)} ms`);
    // Reading is not counted: still served.
    assert.equal((await request(port, '/api/v1/stats', { timeoutMs: 5_000 })).status, 200);

    // Clients that give up free their places: submissions are taken again.
    for (const req of held) req.destroy();
    await waitUntil('a submission accepted after the held requests were dropped', async () => {
      const answer = await request(port, '/api/v1/submissions', { body: submission(1), timeoutMs: 5_000 });
      return answer.status === 201;
    }, 5_000);
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  });
});
