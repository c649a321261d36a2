// Each day's served statements must be exactly those the log publishes on that day: a statement
// retracted in the log but still served, one served that the log never published, one the log
// publishes that is not served, one moved to another day or served twice — each fails, named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeLog, type FakeStatement } from '../support/fake-log.js';
import { editJson, lineOf, verifyMirror } from '../support/fake-mirror.js';

type Day = { statements: FakeStatement[] };
const problems = (result: Awaited<ReturnType<typeof verifyMirror>>) => {
  const line = lineOf(result, 'statements');
  assert.equal(line.ok, false, result.printed);
  assert.equal(result.ok, false);
  return line.notes ?? [];
};

for (const via of ['http', 'dir'] as const) {
  test(`a statement retracted in the log but still served fails (${via})`, async () => {
    const log = FakeLog.random(60, { days: 3 });
    const statement = structuredClone([...log.statements.values()][10]!);
    log.retract(statement.registrationNumber, '2026-01-03');
    const files = await log.files();
    editJson<Day>(files, `api/v1/statements/${statement.publishedOn}.json`, (day) => day.statements.push(statement));
    assert.deepEqual(problems(await verifyMirror(files, via, { key: log.verifierKey })), [
      `statement ${statement.registrationNumber} is served on ${statement.publishedOn}, but the log retracted it`,
    ]);
  });

  test(`a statement served but absent from the log fails (${via})`, async () => {
    const log = FakeLog.random(60, { days: 3 });
    const files = await log.files();
    const real = [...log.statements.values()][0]!;
    editJson<Day>(files, `api/v1/statements/${real.publishedOn}.json`, (day) => day.statements.push({ ...real, registrationNumber: 999_999 }));
    assert.deepEqual(problems(await verifyMirror(files, via, { key: log.verifierKey })), [
      `statement 999999 is served on ${real.publishedOn}, but the log never published it`,
    ]);
  });
}

test('a statement the log publishes that is not served fails', async () => {
  const log = FakeLog.random(60, { days: 3 });
  const files = await log.files();
  const dropped = [...log.statements.values()][20]!;
  editJson<Day>(files, `api/v1/statements/${dropped.publishedOn}.json`, (day) => (day.statements = day.statements.filter((s) => s.registrationNumber !== dropped.registrationNumber)));
  assert.deepEqual(problems(await verifyMirror(files, 'http', { key: log.verifierKey })), [
    `statement ${dropped.registrationNumber} is published in the log on ${dropped.publishedOn}, but not served`,
  ]);
});

test('a day whose list is gone altogether fails for each of its statements', async () => {
  const log = FakeLog.random(30, { days: 3 });
  const files = await log.files();
  files.delete('api/v1/statements/2026-01-02.json');
  const expected = [...log.statements.values()].filter((s) => s.publishedOn === '2026-01-02');
  assert.ok(expected.length > 0);
  assert.equal(problems(await verifyMirror(files, 'dir', { key: log.verifierKey })).length, expected.length);
});

test('a statement moved to another day, or served twice, fails', async () => {
  const log = FakeLog.random(60, { days: 3 });
  const files = await log.files();
  const moved = [...log.statements.values()].find((s) => s.publishedOn === '2026-01-01')!;
  editJson<Day>(files, 'api/v1/statements/2026-01-01.json', (day) => (day.statements = day.statements.filter((s) => s.registrationNumber !== moved.registrationNumber)));
  editJson<Day>(files, 'api/v1/statements/2026-01-02.json', (day) => day.statements.push({ ...moved, publishedOn: '2026-01-02' }));
  const twice = [...log.statements.values()].find((s) => s.publishedOn === '2026-01-03')!;
  editJson<Day>(files, 'api/v1/statements/2026-01-03.json', (day) => day.statements.push(twice));
  assert.deepEqual(problems(await verifyMirror(files, 'dir', { key: log.verifierKey })), [
    `statement ${moved.registrationNumber} is published in the log on 2026-01-01, but not served`,
    `statement ${moved.registrationNumber} is served on 2026-01-02, but the log published it on 2026-01-01`,
    `statement ${twice.registrationNumber} is served twice on 2026-01-03`,
  ].sort());
});
