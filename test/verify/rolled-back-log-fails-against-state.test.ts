// --state FILE remembers the tree head last verified: the next run must find that tree, unchanged,
// at the start of the new one. A log rolled back (fewer entries) or rewritten (another history,
// re-signed by the log's own key) fails, and the state is then left as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { FakeLog } from '../support/fake-log.js';
import { lineOf, verifyMirror } from '../support/fake-mirror.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-verify-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const stateFile = () => path.join(dir, `state-${n++}.json`);
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** A log of 300 statements, its state file after a passing run at `size` entries. */
async function verifiedAt(size?: number) {
  const log = FakeLog.random(300, { days: 12, seed: 11 });
  const state = stateFile();
  const first = await verifyMirror(await log.files({ size, statsSize: size }), 'dir', { key: log.verifierKey, stateFile: state, statements: 'none' });
  assert.equal(first.ok, true, first.printed);
  assert.equal(first.stateWritten, true);
  return { log, state };
}

test('the first run writes the state; a grown log that keeps its history passes and moves it on', async () => {
  const { log, state } = await verifiedAt(250);
  assert.deepEqual({ ...read(state), verifiedAt: undefined }, { version: 1, origin: log.origin, key: log.verifierKey, size: 250, rootHash: read(state).rootHash, verifiedAt: undefined });
  const grown = await verifyMirror(await log.files(), 'http', { stateFile: state, statements: 'none' });
  assert.equal(grown.ok, true, grown.printed);
  assert.match(lineOf(grown, 'history').detail, /the 250 entries verified on .* are the start of these \d+, unchanged/);
  assert.equal(read(state).size, log.entries.length);
});

test('a log rolled back to fewer entries fails, and the state is kept', async () => {
  const { log, state } = await verifiedAt();
  const before = readFileSync(state, 'utf8');
  const result = await verifyMirror(await log.files({ size: log.entries.length - 20, statsSize: log.entries.length - 20 }), 'dir', { stateFile: state, statements: 'none' });
  assert.equal(result.ok, false);
  assert.match(lineOf(result, 'history').detail, /fewer than the \d+ verified on .*: the log was rolled back/);
  assert.equal(result.stateWritten, false);
  assert.equal(readFileSync(state, 'utf8'), before);
});

test('a rewritten history of the same length, re-signed by the log key, fails', async () => {
  const { log, state } = await verifiedAt();
  const victim = log.entries.findIndex((e) => e.kind === 'translated' || e.kind === 'featured');
  assert.ok(victim > 0);
  log.entries[victim] = { event: victim + 1, kind: 'unfeatured', number: log.entries[victim]!.number, day: log.entries[victim]!.day };
  const result = await verifyMirror(await log.files(), 'http', { stateFile: state, statements: 'none' });
  assert.equal(result.ok, false);
  assert.match(lineOf(result, 'history').detail, /the first \d+ entries no longer make the root verified on .*: the history was rewritten/);
});

test('a fork that rewrote an old entry and then grew fails', async () => {
  const { log, state } = await verifiedAt(250);
  log.entries[3] = { ...log.entries[3]!, day: '2026-01-02' };
  const result = await verifyMirror(await log.files(), 'dir', { stateFile: state, statements: 'none' });
  assert.match(lineOf(result, 'history').detail, /the history was rewritten/);
  assert.equal(read(state).size, 250);
});

test('a state of another log, or a state file that is not one, fails', async () => {
  const { state } = await verifiedAt();
  const other = new FakeLog('other.test/log');
  other.publish('2026-01-01', [{ organizations: ['party'], region: '110000' }]);
  const result = await verifyMirror(await other.files(), 'dir', { key: other.verifierKey, stateFile: state, statements: 'none' });
  assert.equal(result.ok, false);
  assert.equal(lineOf(result, 'key').ok, false, 'the pinned key is not this log\'s');
  const broken = stateFile();
  writeFileSync(broken, '{"version":1}');
  const refused = await verifyMirror(await other.files(), 'dir', { key: other.verifierKey, stateFile: broken });
  assert.equal(lineOf(refused, 'state').ok, false);
  assert.equal(refused.lines.length, 1, 'nothing is checked with a broken state');
});
