// The publication log (DESIGN "Publication is one ordered log"): every transaction that changes
// what the public sees appends exactly one event per statement, with the next seq, in that
// transaction; what the public does not see appends nothing; a transaction that fails appends
// nothing; the seq has no gaps, also under concurrent approvals; the log is append-only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { editStatement } from '../../src/commands/statement-editor.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { featuringEvent, PUBLICATION_EVENT_KINDS } from '../../src/domain/publication-event.js';
import { appendPublicationEvents, readPublicationEvents, readPublicationHead } from '../../src/storage/publication/publication-log.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitAssisted, submitPublic, tokenFor, type TestStaff } from '../staff/staff-fixtures.js';

describeEachDialect('every change the public sees appends one publication event', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteerToken: string;

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'log-editor', 'editor');
    volunteerToken = (await tokenFor(t.database, await addStaff(t.database, 'log-volunteer', 'volunteer'))).token;
  });
  after(() => t.close());

  const head = async () => readPublicationHead(t.database);
  const eventsAfter = async (seq: number) => readPublicationEvents(t.database.db, seq, 10_000);
  const today = () => new Date().toISOString().slice(0, 10);
  /** Runs `change` and returns the events it appended, checking they follow the head without a gap. */
  async function appended(change: () => Promise<unknown>) {
    const before = await head();
    await change();
    const events = await eventsAfter(before);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => before + i + 1), 'the next seqs, no gap');
    assert.equal(await head(), before + events.length, 'the head is the last event');
    return events.map((e) => ({ kind: e.kind, number: e.registration_number, day: e.day, payload: JSON.parse(e.payload) as Record<string, unknown> }));
  }

  test('approval: one `published` event with the persons, the channel kind and the day', async () => {
    const submitted = await submitPublic(t.app, {
      declarants: [
        { displayName: '日志甲', nameKind: 'real', organizations: ['party', 'young_pioneers'], region: '110000' },
        { displayName: '日志乙', nameKind: 'pseudonym', organizations: ['youth_league'], region: 'overseas' },
      ],
    });
    let number = 0;
    const events = await appended(async () => (number = (await approveSubmissions(t.database, [submitted.id], editor.member))[0]!.registrationNumber));
    // The commitment to the published fields (docs/log.md; recomputed from the served salt in
    // test/log/transparency-log-is-served-and-verifies.test.ts).
    const commitment = events[0]?.payload.commitment;
    assert.match(String(commitment), /^[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(events, [
      {
        kind: 'published',
        number,
        day: today(),
        payload: {
          v: 1,
          channelKind: 'self_submitted',
          featured: false,
          persons: [
            { organizations: ['party', 'young_pioneers'], region: '110000' },
            { organizations: ['youth_league'], region: 'overseas' },
          ],
          commitment,
        },
      },
    ]);
  });

  test('a volunteer’s entry is `volunteer_recorded`; a bulk approval appends one event per statement, in number order', async () => {
    const ids = [(await submitAssisted(t.app, volunteerToken)).id, (await submitPublic(t.app)).id, (await submitPublic(t.app)).id];
    let numbers: number[] = [];
    const events = await appended(async () => (numbers = (await approveSubmissions(t.database, ids, editor.member)).map((p) => p.registrationNumber)));
    assert.deepEqual(events.map((e) => [e.kind, e.number]), numbers.map((n) => ['published', n]));
    assert.deepEqual(events.map((e) => e.payload.channelKind), ['volunteer_recorded', 'self_submitted', 'self_submitted']);
  });

  test('featuring and unfeaturing a published statement: one event each; again, or while pending, none', async () => {
    const pending = await submitPublic(t.app);
    assert.deepEqual(await appended(() => featureStatement(t.database, pending.id, true, editor.member)), [], 'pending: not public yet');
    const [published] = await approveSubmissions(t.database, [pending.id], editor.member);
    const n = published!.registrationNumber;
    const [event] = await eventsAfter((await head()) - 1);
    assert.equal(JSON.parse(event!.payload).featured, true, 'featured ahead: its published event says so');
    assert.deepEqual(await appended(() => featureStatement(t.database, pending.id, false, editor.member)), [{ kind: 'unfeatured', number: n, day: today(), payload: { v: 1 } }]);
    assert.deepEqual(await appended(() => featureStatement(t.database, pending.id, false, editor.member)), [], 'no change');
    assert.deepEqual(await appended(() => featureStatement(t.database, pending.id, true, editor.member)), [{ kind: 'featured', number: n, day: today(), payload: { v: 1 } }]);
  });

  test('retraction of a published statement: one `retracted` event naming the persons it removes; of a pending one, none', async () => {
    const submitted = await submitPublic(t.app, { declarants: [{ displayName: '撤回者', nameKind: 'pseudonym', organizations: ['party'], region: '440000' }] });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    assert.deepEqual(await appended(() => retractStatement(t.database, submitted.receipt)), [
      { kind: 'retracted', number: published!.registrationNumber, day: today(), payload: { v: 1, persons: [{ organizations: ['party'], region: '440000' }] } },
    ]);
    const pending = await submitPublic(t.app);
    assert.deepEqual(await appended(() => retractStatement(t.database, pending.receipt)), []);
  });

  test('intake, review without publication, editing, indexing and rejection append nothing', async () => {
    const events = await appended(async () => {
      const [a, b, c] = [await submitPublic(t.app), await submitPublic(t.app), await submitAssisted(t.app, volunteerToken)];
      await indexPending(t.database);
      await editStatement(t.database, a.id, { text: '编辑过的待审文本。' }, editor.member);
      await rejectSubmissions(t.database, [a.id], 'spam', editor.member);
      await markDuplicate(t.database, b.id, c.id, editor.member);
    });
    assert.deepEqual(events, []);
  });

  test('a transaction that fails appends nothing: a bulk approval refused whole leaves the head where it was', async () => {
    const good = await submitPublic(t.app);
    const rejected = await submitPublic(t.app);
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    const before = await head();
    await assert.rejects(approveSubmissions(t.database, [good.id, rejected.id], editor.member), { code: 'not_pending' });
    assert.equal(await head(), before);
    assert.deepEqual(await eventsAfter(before), []);
    // A transaction that appended and then failed gives its seqs back.
    await assert.rejects(
      t.database.db.transaction().execute(async (trx) => {
        await appendPublicationEvents(trx, [featuringEvent(true, 1, today()), featuringEvent(false, 1, today())]);
        throw new Error('after the append');
      }),
      /after the append/,
    );
    assert.equal(await head(), before);
    // The numbers given back are taken by the next publication: still no gap.
    const events = await appended(() => approveSubmissions(t.database, [good.id], editor.member));
    assert.equal(events.length, 1);
  });

  test('concurrent approvals, some refused, get consecutive seqs: the log has no gap and the head is its length', async () => {
    const submitted = await Promise.all(Array.from({ length: 25 }, () => submitPublic(t.app)));
    const refused = submitted.slice(0, 5);
    await rejectSubmissions(t.database, refused.map((s) => s.id), 'spam', editor.member);
    const earlier = await Promise.all(Array.from({ length: 6 }, () => submitPublic(t.app)));
    await approveSubmissions(t.database, earlier.map((s) => s.id), editor.member);
    const before = await head();
    // Each approval its own transaction, all at once (PostgreSQL: on several connections); every
    // fourth one includes a refused statement and rolls back; featurings, which take no
    // registration number (no lock but the head's), run among them.
    const results = await Promise.allSettled([
      ...submitted.slice(5).map((s, i) => approveSubmissions(t.database, i % 4 === 0 ? [s.id, refused[i / 4]!.id] : [s.id], editor.member)),
      ...earlier.map((s) => featureStatement(t.database, s.id, true, editor.member)),
    ]);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 5, JSON.stringify(results.filter((r) => r.status === 'rejected')));
    const events = await eventsAfter(before);
    assert.equal(events.length, 15 + 6);
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: events.length }, (_, i) => before + i + 1));
    assert.equal(await head(), before + events.length);
    const all = await eventsAfter(0);
    assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1), 'the whole log from 1, no gap');
  });

  test('rcenter demo writes one `published` event per statement, in number order, with the statement’s day', async () => {
    const before = await head();
    const result = await fillDemo(t.database, { people: 40, seed: 5, append: true });
    const events = await eventsAfter(before);
    assert.equal(events.length, result.statements);
    assert.deepEqual(events.map((e) => e.registration_number), Array.from({ length: result.statements }, (_, i) => result.firstNumber! + i));
    const published = await t.database.db.selectFrom('submission').select(['registration_number', 'published_at']).where('registration_number', '>=', result.firstNumber!).orderBy('registration_number').execute();
    assert.deepEqual(events.map((e) => e.day), published.map((p) => p.published_at!.slice(0, 10)));
    assert.ok(events.every((e) => e.kind === 'published'));
    const persons = events.reduce((sum, e) => sum + (JSON.parse(e.payload) as { persons: unknown[] }).persons.length, 0);
    assert.equal(persons, result.persons);
  });

  test('the log is append-only: the database refuses to change or delete an event', async () => {
    await assert.rejects(t.database.db.updateTable('publication_event').set({ kind: 'retracted' }).where('seq', '=', 1).execute(), /append-only/);
    await assert.rejects(t.database.db.deleteFrom('publication_event').where('seq', '=', 1).execute(), /append-only/);
    await assert.rejects(t.database.db.insertInto('publication_event').values({ seq: 0, kind: 'published', registration_number: 1, day: '2026-01-01', payload: '{}' }).execute());
    await assert.rejects(t.database.db.insertInto('publication_event').values({ seq: (await head()) + 10, kind: 'deleted', registration_number: 1, day: '2026-01-01', payload: '{}' }).execute());
    assert.deepEqual([...PUBLICATION_EVENT_KINDS], ['published', 'amended', 'featured', 'unfeatured', 'translated', 'retracted']);
  });
});
