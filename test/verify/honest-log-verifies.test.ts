// An honest center passes every check, over HTTP and as a mirror DIR, also when its count is of
// fewer entries than its checkpoint (the count's root is then the tree hash of that prefix).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeLog } from '../support/fake-log.js';
import { lineOf, verifyMirror } from '../support/fake-mirror.js';

const log = FakeLog.random(700, { days: 25 });

for (const via of ['http', 'dir'] as const) {
  test(`an honest log passes every check (${via})`, async () => {
    const files = await log.files();
    const result = await verifyMirror(files, via, { key: log.verifierKey });
    assert.equal(result.ok, true, result.printed);
    for (const check of ['key', 'checkpoint', 'tree', 'entries', 'count log', 'count total', 'count periods', 'count organisations', 'count regions', 'count channels', 'statements']) {
      assert.equal(lineOf(result, check).ok, true, `${check}\n${result.printed}`);
    }
    assert.match(lineOf(result, 'statements').detail, new RegExp(`the ${log.statements.size} statements served on all 25 days`));
  });
}

test('a count of fewer entries than the checkpoint is checked against that prefix of the tree', async () => {
  const files = await log.files({ statsSize: log.entries.length - 300 });
  const result = await verifyMirror(files, 'http', { key: log.verifierKey });
  assert.equal(result.ok, true, result.printed);
  assert.match(lineOf(result, 'count log').detail, new RegExp(`first ${log.entries.length - 300} entries`));
});

test('a checkpoint of a whole number of tiles, and the empty log, verify', async () => {
  const exact = new FakeLog();
  for (let i = 0; i < 512; i++) exact.publish('2026-03-01', [{ organizations: ['party'], region: '110000' }]);
  assert.equal((await verifyMirror(await exact.files(), 'dir', { key: exact.verifierKey })).ok, true);
  const empty = new FakeLog();
  const result = await verifyMirror(await empty.files(), 'http', { key: empty.verifierKey });
  assert.equal(result.ok, true, result.printed);
});

test('--statements sample reads 1,000 random days, none reads none', async () => {
  const long = FakeLog.random(1100, { days: 1100 });
  const files = await long.files();
  const sampled = await verifyMirror(files, 'dir', { key: long.verifierKey, statements: 'sample' });
  assert.equal(sampled.ok, true, sampled.printed);
  assert.match(lineOf(sampled, 'statements').detail, /on 1000 days drawn at random of the 1100 with entries/);
  const none = await verifyMirror(files, 'dir', { key: long.verifierKey, statements: 'none' });
  assert.equal(none.ok, true);
  assert.equal(lineOf(none, 'statements').ok, undefined);
});

test('a partial tile and bundle the log has replaced by full ones are read from the full ones', async () => {
  const grown = new FakeLog();
  for (let i = 0; i < 600; i++) grown.publish('2026-03-01', [{ organizations: ['party'], region: '110000' }]);
  const now = await grown.files();
  const earlier = await grown.files({ size: 300 });
  // The mirror has the full tiles of today, and the checkpoint and count of 300 entries ago.
  for (const file of ['log/checkpoint', 'api/v1/stats.json', 'log/tile/1/000.p/1']) now.set(file, earlier.get(file)!);
  assert.equal(now.has('log/tile/0/001.p/44') || now.has('log/tile/entries/001.p/44'), false);
  const result = await verifyMirror(now, 'http', { key: grown.verifierKey, statements: 'none' });
  assert.equal(result.ok, true, result.printed);
});
