// The transparency log's entry encoding (rc-log/v1), the statement commitment and the count
// recomputed from entries: the contract between the center, mirrors and `rcenter verify`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  decodeLogEntry,
  emptyTally,
  encodeLogEntry,
  LogEntryError,
  statementCommitment,
  tallyEntry,
  type CommittedStatement,
  type LogEntry,
} from '../../src/domain/log-entry.js';

const commitment = new Uint8Array(32).fill(7);
const published: LogEntry = {
  event: 1,
  kind: 'published',
  number: 1001,
  day: '2026-12-04',
  channel: 'self_submitted',
  commitment,
  persons: [
    { organizations: ['party', 'youth_league'], region: '110000' },
    { organizations: ['young_pioneers'], region: 'overseas' },
  ],
};

test('an entry is the documented lines, byte for byte', () => {
  const text = Buffer.from(encodeLogEntry(published)).toString('ascii');
  assert.equal(
    text,
    `rc-log/v1\nevent 1\nkind published\nnumber 1001\nday 2026-12-04\nchannel self_submitted\ncommitment ${Buffer.from(commitment).toString('base64')}\nperson party,youth_league 110000\nperson young_pioneers overseas\n`,
  );
  assert.equal(Buffer.from(encodeLogEntry({ event: 9, kind: 'featured', number: 3, day: '2027-01-31' })).toString('ascii'), 'rc-log/v1\nevent 9\nkind featured\nnumber 3\nday 2027-01-31\n');
  assert.equal(Buffer.from(encodeLogEntry({ event: 2, kind: 'translated', number: 3, day: '2027-01-31', locale: 'en' })).toString('ascii'), 'rc-log/v1\nevent 2\nkind translated\nnumber 3\nday 2027-01-31\nlocale en\n');
});

test('every kind round-trips, and organisations are written in one order only', () => {
  const entries: LogEntry[] = [
    published,
    { ...published, event: 2, kind: 'amended', channel: 'imported' },
    { event: 3, kind: 'retracted', number: 1001, day: '2026-12-05', persons: [{ organizations: ['party'], region: '310000' }] },
    { event: 4, kind: 'translated', number: 1001, day: '2026-12-05', locale: 'zh-hant' },
    { event: 5, kind: 'unfeatured', number: 1001, day: '2026-12-05' },
  ];
  for (const entry of entries) assert.deepEqual(decodeLogEntry(encodeLogEntry(entry)), entry);
  const reordered = encodeLogEntry({ ...published, persons: [{ organizations: ['youth_league', 'party'], region: '110000' }] });
  assert.ok(Buffer.from(reordered).toString('ascii').includes('person party,youth_league 110000\n'));
});

test('anything but the canonical bytes is refused', () => {
  const good = Buffer.from(encodeLogEntry(published)).toString('ascii');
  const bad = [
    '',
    good.slice(0, -1),
    good.replace('rc-log/v1', 'rc-log/v2'),
    good.replace('event 1', 'event 01'),
    good.replace('event 1', 'event 0'),
    good.replace('number 1001', 'number 1001 '),
    good.replace('day 2026-12-04', 'day 2026-02-30'),
    good.replace('kind published', 'kind invented'),
    good.replace('channel self_submitted', 'channel telepathy'),
    good.replace(/commitment \S+/, 'commitment AAAA'),
    good.replace('person party,youth_league 110000', 'person youth_league,party 110000'),
    good.replace('person party,youth_league 110000', 'person party,party 110000'),
    good.replace('person party,youth_league 110000', 'person party 999999'),
    good.replace('person party,youth_league 110000', 'person  110000'),
    good.replace(/person .*\n/g, ''),
    good.replace('\n', '\r\n'),
    `${good}\n`,
    good.replace('110000', '１１0000'),
    good.replace('event 1', 'event 99999999999999999'),
  ];
  for (const text of bad) assert.throws(() => decodeLogEntry(new Uint8Array(Buffer.from(text, 'utf8'))), LogEntryError, JSON.stringify(text));
});

const statement: CommittedStatement = {
  registrationNumber: 1001,
  publishedOn: '2026-12-04',
  language: 'zh-hans',
  title: null,
  text: '我声明退出。',
  declarants: [{ displayName: '甲', nameKind: 'pseudonym', organizations: ['party'], region: '110000', occupation: null }],
};

test('a commitment binds every published field and depends on the salt', () => {
  const salt = randomBytes(32);
  const base = Buffer.from(statementCommitment(salt, statement));
  assert.equal(base.length, 32);
  assert.ok(base.equals(Buffer.from(statementCommitment(Buffer.from(salt), { ...statement }))), 'deterministic');
  const changed: CommittedStatement[] = [
    { ...statement, registrationNumber: 1002 },
    { ...statement, publishedOn: '2026-12-05' },
    { ...statement, language: 'en' },
    { ...statement, title: '' },
    { ...statement, text: '我声明退出 。' },
    { ...statement, declarants: [{ ...statement.declarants[0]!, displayName: '乙' }] },
    { ...statement, declarants: [{ ...statement.declarants[0]!, nameKind: 'real' }] },
    { ...statement, declarants: [{ ...statement.declarants[0]!, organizations: ['party', 'youth_league'] }] },
    { ...statement, declarants: [{ ...statement.declarants[0]!, region: '120000' }] },
    { ...statement, declarants: [{ ...statement.declarants[0]!, occupation: '' }] },
    { ...statement, declarants: [...statement.declarants, ...statement.declarants] },
  ];
  for (const other of changed) assert.ok(!base.equals(Buffer.from(statementCommitment(salt, other))), JSON.stringify(other));
  assert.ok(!base.equals(Buffer.from(statementCommitment(randomBytes(32), statement))), 'another salt');
  assert.throws(() => statementCommitment(randomBytes(16), statement));
});

test('the count recomputed from entries: publications, amendments, retractions, by every breakdown', () => {
  const tally = emptyTally();
  const entries: LogEntry[] = [
    published,
    { event: 2, kind: 'published', number: 1002, day: '2026-12-04', channel: 'volunteer_recorded', commitment, persons: [{ organizations: ['party'], region: '310000' }] },
    { event: 3, kind: 'featured', number: 1002, day: '2026-12-05' },
    { event: 4, kind: 'retracted', number: 1001, day: '2026-12-06', persons: published.persons },
    { event: 5, kind: 'amended', number: 1002, day: '2026-12-06', channel: 'volunteer_recorded', commitment, persons: [{ organizations: ['party'], region: '310000' }, { organizations: ['youth_league'], region: '310000' }] },
  ];
  for (const entry of entries) tallyEntry(tally, entry);
  assert.equal(tally.size, 5);
  assert.equal(tally.total, 2);
  assert.deepEqual(tally.byOrganization, { party: 1, youth_league: 1, young_pioneers: 0 });
  assert.deepEqual(tally.byRegion, { '110000': 0, overseas: 0, '310000': 2 });
  assert.deepEqual(tally.byChannel, { self_submitted: 0, volunteer_recorded: 2 });
  assert.deepEqual(tally.byDay['2026-12-04'], { published: 3, retracted: 0 });
  assert.deepEqual([...tally.statements.keys()], [1002]);
});

test('entries that make no sense after the ones before are refused', () => {
  const cases: LogEntry[][] = [
    [{ ...published, event: 2 }],
    [published, { ...published, event: 2 }],
    [{ event: 1, kind: 'retracted', number: 5, day: '2026-12-04', persons: published.persons }],
    [{ event: 1, kind: 'featured', number: 5, day: '2026-12-04' }],
    [published, { event: 2, kind: 'retracted', number: 1001, day: '2026-12-04', persons: [{ organizations: ['party'], region: '999999' as string }] }],
    [published, { event: 2, kind: 'retracted', number: 1001, day: '2026-12-04', persons: [published.persons[0]!, published.persons[0]!] }],
  ];
  for (const list of cases) {
    const tally = emptyTally();
    assert.throws(() => {
      for (const entry of list) tallyEntry(tally, entry);
    }, LogEntryError);
  }
});
