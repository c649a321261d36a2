// A count cell that is not what the entries add up to — the total, a period, an organisation, a
// region, a channel — or a count that misstates the tree it counts fails, and says which cell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeLog } from '../support/fake-log.js';
import { editJson, lineOf, verifyMirror } from '../support/fake-mirror.js';

type Stats = Record<string, any>;
const log = FakeLog.random(300, { days: 40 });

const inflations: [string, string, (s: Stats) => void, RegExp][] = [
  ['the total', 'count total', (s) => (s.total += 1), /^total is \d+, the log adds up to \d+$/],
  ['today', 'count periods', (s) => (s.today += 5), /^today is \d+, the log adds up to \d+$/],
  ['this month', 'count periods', (s) => (s.thisMonth += 1), /^thisMonth is/],
  ['a region', 'count regions', (s) => (s.byRegion['440000'] += 1000), /^440000 is \d+, the log adds up to \d+$/],
  ['an organisation', 'count organisations', (s) => (s.byOrganization.party += 1), /^party is/],
  ['a channel', 'count channels', (s) => (s.byChannel.imported += 1), /^imported is/],
  ['a region the log has not', 'count regions', (s) => (s.byRegion.atlantis = 3), /cells the log does not have: atlantis/],
  ['a missing region', 'count regions', (s) => delete s.byRegion['110000'], /^110000 is missing, the log adds up to \d+$/],
  ['the root of the counted tree', 'count log', (s) => (s.log.rootHash = Buffer.alloc(32).toString('base64')), /the entries make/],
];

for (const [what, check, inflate, message] of inflations) {
  test(`a count with ${what} changed fails "${check}"`, async () => {
    const files = await log.files();
    editJson<Stats>(files, 'api/v1/stats.json', inflate);
    const result = await verifyMirror(files, 'http', { key: log.verifierKey });
    assert.equal(result.ok, false);
    const line = lineOf(result, check);
    assert.equal(line.ok, false, result.printed);
    assert.match(line.detail, message);
    assert.equal(result.lines.filter((l) => l.ok === false).length, 1, `only ${check} fails:\n${result.printed}`);
  });
}

test('a count dated before its last entry fails, even with periods that match that day', async () => {
  const files = await log.files({ day: '2026-01-02' });
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.match(lineOf(result, 'count periods').detail, /dated 2026-01-02, before its last entry's day 2026-02-07/);
  assert.equal(result.ok, false);
});

test('a count of more entries than the checkpoint cannot be checked, and fails', async () => {
  const files = await log.files();
  editJson<Stats>(files, 'api/v1/stats.json', (s) => (s.log.size += 1));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.match(lineOf(result, 'count log').detail, /more than the checkpoint's/);
  assert.equal(result.ok, false);
});

test('a count that is not the contract\'s JSON fails', async () => {
  const files = await log.files();
  files.set('api/v1/stats.json', new TextEncoder().encode('{"total":"many"}'));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.equal(lineOf(result, 'count').ok, false);
});
