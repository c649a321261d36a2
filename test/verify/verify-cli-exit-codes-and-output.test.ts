// `rcenter verify` as people and scripts run it: one PASS/FAIL/SKIP line per check on stdout, a
// last line saying VERIFIED or NOT VERIFIED, exit code 0 only when no check failed; bad flags are
// refused before anything is read; the state file is written only by a passing run.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FakeLog } from '../support/fake-log.js';
import { editJson, serveMirror, writeMirror } from '../support/fake-mirror.js';
import { runCli, type CliResult } from '../support/server-process.js';

const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-verify-cli-'));
const log = FakeLog.random(150, { days: 5 });
let server: Awaited<ReturnType<typeof serveMirror>>;

before(async () => {
  const files = await log.files();
  await writeMirror(files, path.join(dir, 'good'));
  editJson<{ total: number }>(files, 'api/v1/stats.json', (s) => (s.total += 1));
  await writeMirror(files, path.join(dir, 'inflated'));
  server = await serveMirror(await log.files());
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an honest log: every line PASS or SKIP, VERIFIED, exit code 0, and the state is written', async () => {
  const state = path.join(dir, 'state.json');
  const r = await runCli(['verify', server.url, '--key', log.verifierKey, '--state', state]);
  assert.equal(r.code, 0, show(r));
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.slice(0, -1).every((l) => /^(PASS|SKIP) [a-z, ]+: /.test(l)), r.stdout);
  assert.match(lines[0]!, /^PASS key: checkpoints are checked with the key given by --key/);
  assert.match(r.stdout, /^PASS statements: the \d+ statements served on all 5 days with entries are exactly those the log publishes/m);
  assert.match(lines.at(-1)!, new RegExp(`^VERIFIED: no check failed \\(${log.entries.length} entries\\); .*state\\.json now holds this tree head$`));
  assert.equal(JSON.parse(readFileSync(state, 'utf8')).size, log.entries.length);
});

test('an inflated count: a FAIL line naming the cell, NOT VERIFIED, exit code 1, no state written', async () => {
  const state = path.join(dir, 'never.json');
  const r = await runCli(['verify', path.join(dir, 'inflated'), '--no-manifest', '--key', log.verifierKey, '--state', state, '--statements', 'none']);
  assert.equal(r.code, 1, show(r));
  assert.match(r.stdout, /^FAIL count total: total is \d+, the log adds up to \d+$/m);
  assert.match(r.stdout, /^NOT VERIFIED: 1 of \d+ checks failed; .*never\.json was left as it was$/m);
  assert.match(r.stderr, /rcenter: .*inflated did not verify/);
  assert.equal(existsSync(state), false);
});

test('without --key the output says the key is the log\'s own (trust on first use)', async () => {
  const r = await runCli(['verify', path.join(dir, 'good'), '--no-manifest', '--statements', 'none']);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /^PASS key: no --key given: using the key the log serves itself.*trust on first use/m);
});

test('bad flags are refused with exit code 1 before anything is read', async () => {
  const badKey = await runCli(['verify', path.join(dir, 'good'), '--key', 'not-a-key']);
  assert.equal(badKey.code, 1);
  assert.match(badKey.stderr, /--key is not an Ed25519 verifier key/);
  assert.equal(badKey.stdout, '');
  const quorum = await runCli(['verify', path.join(dir, 'good'), '--quorum', '2']);
  assert.match(quorum.stderr, /--quorum 2 is more than the 0 distinct witnesses given/);
  const noSource = await runCli(['verify', path.join(dir, 'nowhere')]);
  assert.equal(noSource.code, 1);
  assert.match(noSource.stderr, /neither an http\(s\) URL nor a directory/);
  const mode = await runCli(['verify', path.join(dir, 'good'), '--statements', 'some']);
  assert.equal(mode.code, 1);
});
