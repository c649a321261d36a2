// A statement changed after publication — its text, a name, its title — no longer hashes (with
// its salt) to the commitment the log holds: the verifier names it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeLog, type FakeStatement } from '../support/fake-log.js';
import { editJson, lineOf, verifyMirror } from '../support/fake-mirror.js';

const log = FakeLog.random(120, { days: 6 });
const victim = [...log.statements.values()][40]!;
const dayFile = `api/v1/statements/${victim.publishedOn}.json`;

const alterations: [string, (s: FakeStatement) => void][] = [
  ['text', (s) => (s.text = `${s.text}（已被篡改）`)],
  ['display name', (s) => (s.declarants[0]!.displayName = '别人')],
  ['title', (s) => (s.title = 'A title added later')],
  ['salt', (s) => (s.commitmentSalt = Buffer.alloc(32, 1).toString('base64'))],
];

for (const [what, alter] of alterations) {
  for (const via of ['http', 'dir'] as const) {
    test(`a statement whose ${what} was altered fails its commitment (${via})`, async () => {
      const files = await log.files();
      editJson<{ statements: FakeStatement[] }>(files, dayFile, (day) => alter(day.statements.find((s) => s.registrationNumber === victim.registrationNumber)!));
      const result = await verifyMirror(files, via, { key: log.verifierKey });
      assert.equal(result.ok, false);
      const line = lineOf(result, 'statements');
      assert.equal(line.ok, false);
      assert.deepEqual(line.notes, [
        `statement ${victim.registrationNumber} (${victim.publishedOn}): its published fields do not match the log's commitment (text, title, names or another field was changed)`,
      ]);
      assert.equal(lineOf(result, 'tree').ok, true, 'only the statement is wrong');
    });
  }
}

test('an amended statement is checked against its latest commitment, not its first', async () => {
  const amended = FakeLog.random(30, { days: 3 });
  const number = [...amended.statements.keys()][5]!;
  amended.amend(number, '2026-01-04', { text: 'the amended text' });
  const result = await verifyMirror(await amended.files(), 'dir', { key: amended.verifierKey });
  assert.equal(result.ok, true, result.printed);
});

test('a statement served without its salt is refused', async () => {
  const files = await log.files();
  editJson<{ statements: Partial<FakeStatement>[] }>(files, dayFile, (day) => delete day.statements[0]!.commitmentSalt);
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.equal(lineOf(result, 'statements').ok, false);
  assert.match(lineOf(result, 'statements').notes!.join('\n'), /commitmentSalt is not base64 of 32 bytes/);
});
