// The disk under the SQLite data directory fills up: submissions get 503 `unavailable` with
// Retry-After (SQLITE_FULL from the intake writer thread, mapped in database-errors.ts) — never a
// 500, never a crash — reading goes on, the database stays intact (integrity_check), everything
// acknowledged is there, and once space is freed the same server process takes submissions
// again by itself.
//
// The data directory is on a tmpfs of TMPFS_SIZE mounted for this test (root only; CI runs as
// root, where it must run). A filler file takes the rest of the space.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hashReceipt, parseReceipt } from '../../src/domain/receipt.js';
import { runCli, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { request, sqliteIntegrity, submission, waitUntil, withSqliteFile, type Answer } from './fault-support.js';

// 16 MiB: once space is freed, the background writers (hint indexer, log sequencer) working off
// the flood's backlog follow one another without a gap, so the WAL cannot start again from its
// beginning and grows into the freed space; with 8 MiB and today's schema that space was
// sometimes used up again before the 100 submissions after recovery (a disk that is full again
// answers 503, rightly). The property tested does not depend on the size.
const TMPFS_SIZE = '16m';
/** Submissions in flight at once while the disk fills. */
const CLIENTS = 16;
/** Consecutive 503s that show the disk is full for good (not one unlucky batch). */
const FULL_STREAK = 100;

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-disk-full-'));
let mounted = false;
let skip: string | false = false;
if (process.getuid?.() !== 0) {
  skip = 'not root: mounting a small tmpfs for the data directory needs root (CI runs as root)';
} else {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', mountPoint], { stdio: ['ignore', 'ignore', 'pipe'] });
    mounted = true;
  } catch (error) {
    skip = `cannot mount a tmpfs (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
  }
}
// Skipping is for a developer's machine; CI must show the test ran.
if (skip && process.env.RC_TEST_REQUIRE_ALL === '1') throw new Error(`disk-full test cannot run in CI: ${skip}`);
if (skip) fs.rmdirSync(mountPoint);

/** Fills the file system with one file until it refuses another byte. */
function fill(file: string): number {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  let written = 0;
  try {
    for (let size = chunk.length; size >= 512; ) {
      try {
        written += fs.writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size /= 2; // the last few blocks
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

describe('disk full: submissions get 503, the database stays intact, service resumes when space is freed', { skip }, () => {
  const dataDir = path.join(mountPoint, 'data');
  const filler = path.join(mountPoint, 'filler');
  let server: ServerProcess | undefined;
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.kill();
    if (mounted) execFileSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it(`SQLite on a ${TMPFS_SIZE} tmpfs filled to the brim`, async (t) => {
    const env = { DATA_DIR: dataDir, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
    server = await startServerProcess({ env });
    const port = server.port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const acked: string[] = [];
    const answers: Answer[] = [];
    let n = 0;
    const submit = async () => {
      const answer = await request(port, '/api/v1/submissions', { body: submission(n++, 400), agent, timeoutMs: 15_000 });
      answers.push(answer);
      if (answer.status === 201) acked.push((JSON.parse(answer.body) as { receipt: string }).receipt);
      return answer;
    };

    for (let i = 0; i < 100; i++) assert.equal((await submit()).status, 201);
    const filled = fill(filler);

    // Submissions go on until the disk is full for good: FULL_STREAK 503s in a row.
    const fullFrom = answers.length;
    let streak = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (streak < FULL_STREAK && answers.length - fullFrom < 20_000) {
          const answer = await submit();
          streak = answer.status === 503 ? streak + 1 : 0;
        }
      }),
    );
    const whileFull = answers.slice(fullFrom);
    const refused = whileFull.filter((a) => a.status === 503);
    const slowest = refused.reduce((max, a) => Math.max(max, a.ms), 0);
    t.diagnostic(
      `filler ${(filled / 1024 / 1024).toFixed(1)} MiB; after filling: ${whileFull.length - refused.length} more 201s, then ${refused.length} 503s ` +
        `(slowest ${slowest.toFixed(0)} ms)`,
    );
    assert.ok(streak >= FULL_STREAK, `the disk never refused submissions for good (${refused.length} 503s in ${whileFull.length})`);
    assert.deepEqual([...new Set(whileFull.map((a) => a.status))].sort(), refused.length === whileFull.length ? [503] : [201, 503]);
    for (const answer of refused) {
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'unavailable');
      assert.match(String(answer.headers['retry-after']), /^\d+$/);
    }
    // How fast a refusal comes is for the benchmarks (reported above); that it comes is checked
    // by each request's own timeout.
    // Reading goes on while the disk is full.
    assert.equal((await request(port, '/api/v1/stats', { timeoutMs: 5_000 })).status, 200);
    assert.equal((await request(port, '/zh-hans/statements', { timeoutMs: 5_000 })).status, 200);

    // Space is freed: the same process takes submissions again, without a restart.
    fs.rmSync(filler);
    const resumedMs = await waitUntil('submissions accepted again after space was freed', async () => (await submit()).status === 201, 10_000, 100);
    for (let i = 0; i < 100; i++) {
      const answer = await submit();
      assert.equal(answer.status, 201, `a submission after the disk had room again: ${answer.body}\n${server.stdout()}${server.stderr()}\n${execFileSync('df', [mountPoint])}\n${execFileSync('ls', ['-la', dataDir])}`);
    }
    t.diagnostic(`accepted again ${resumedMs} ms after the filler was deleted`);
    agent.destroy();
    assert.equal(server.child.exitCode, null);
    assert.deepEqual(answers.filter((a) => a.status !== 201 && a.status !== 503).map((a) => `${a.status} ${a.body.slice(0, 200)}`), []);
    const log = server.stdout().toString('utf8') + server.stderr().toString('utf8');
    assert.match(log, /"code":"SQLITE_FULL".*database unavailable/);
    assert.doesNotMatch(log, /unhandled error/);
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.stderr().toString());

    // Intact, and everything acknowledged is there, with its declarant; the counts add up.
    const stored = withSqliteFile(dataDir, (db) => ({
      integrity: sqliteIntegrity(db),
      hashes: new Set(db.prepare('select receipt_hash from submission').pluck().all() as string[]),
      orphans: db.prepare('select count(*) from submission s where not exists (select 1 from declarant d where d.submission_id = s.id)').pluck().get() as number,
    }));
    assert.equal(stored.integrity, 'ok');
    assert.equal(stored.orphans, 0);
    assert.deepEqual(acked.filter((r) => !stored.hashes.has(hashReceipt(parseReceipt(r)!))), [], 'acknowledged submissions are missing');
    assert.equal(stored.hashes.size, acked.length, 'a refused submission was stored');
    const recount = await runCli(['recount'], env);
    assert.equal(recount.code, 0, `${recount.stdout}\n${recount.stderr}`);
  });
});
