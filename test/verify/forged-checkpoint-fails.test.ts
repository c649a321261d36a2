// A checkpoint not signed by the log's key — signed by another key, or altered after signing —
// fails; so does a key that changed since it was pinned. Without --key the log's own key is used
// and the report says that this proves self-consistency only (trust on first use).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { generateKey } from '../../src/tlog/index.js';
import { FakeLog } from '../support/fake-log.js';
import { lineOf, verifyMirror } from '../support/fake-mirror.js';

const log = FakeLog.random(80, { days: 4 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-verify-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a checkpoint signed by another key with the log\'s name fails with --key', async () => {
  const impostor = generateKey(log.origin);
  const files = await log.files({ signerKey: impostor.signerKey });
  files.set('log/key', Buffer.from(`${impostor.verifierKey}\n`));
  const result = await verifyMirror(files, 'http', { key: log.verifierKey });
  assert.equal(result.ok, false);
  assert.match(lineOf(result, 'key').detail, /the log now serves another key at log\/key/);
  assert.match(lineOf(result, 'checkpoint').detail, /^not signed by the log key verify\.test\/log \(signed by: verify\.test\/log\): forged, or signed by another key$/);
  assert.equal(result.lines.some((l) => l.check === 'tree'), false, 'nothing is checked against a forged checkpoint');
});

test('a checkpoint altered after signing (another root) fails: bad signature', async () => {
  const files = await log.files();
  const text = Buffer.from(files.get('log/checkpoint')!).toString('utf8');
  const lines = text.split('\n');
  lines[1] = String(Number(lines[1]) - 1);
  files.set('log/checkpoint', Buffer.from(lines.join('\n')));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.equal(lineOf(result, 'checkpoint').ok, false);
  assert.match(lineOf(result, 'checkpoint').detail, /does not verify: the checkpoint was forged or altered/);
});

test('a checkpoint that is not a signed note fails', async () => {
  const files = await log.files();
  files.set('log/checkpoint', Buffer.from('verify.test/log\n1\nAAAA\n'));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.match(lineOf(result, 'checkpoint').detail, /malformed signed note/);
});

test('without --key the log\'s own key is used, and the report says it proves self-consistency only', async () => {
  const result = await verifyMirror(await log.files(), 'http', { statements: 'none' });
  assert.equal(result.ok, true, result.printed);
  assert.match(lineOf(result, 'key').detail, /only proves the log is consistent with itself, not whose it is \(trust on first use\)/);
});

test('a key pinned by --state that the log has replaced fails, even when the new key signs', async () => {
  const state = path.join(dir, 'pinned.json');
  assert.equal((await verifyMirror(await log.files(), 'dir', { stateFile: state, statements: 'none' })).ok, true);
  const takeover = generateKey(log.origin);
  const files = await log.files({ signerKey: takeover.signerKey });
  files.set('log/key', Buffer.from(`${takeover.verifierKey}\n`));
  const result = await verifyMirror(files, 'dir', { stateFile: state, statements: 'none' });
  assert.equal(result.ok, false);
  assert.match(lineOf(result, 'key').detail, /the log now serves another key .* the key changed/);
  assert.equal(lineOf(result, 'checkpoint').ok, false);
  const given = await verifyMirror(files, 'dir', { key: takeover.verifierKey, stateFile: state, statements: 'none' });
  assert.match(lineOf(given, 'key').detail, /is not the key pinned in .* since its first run/);
  assert.equal(given.ok, false);
});
