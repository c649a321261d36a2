// The publication log's migration backfills what is published and retracted, in registration-
// number order and then in the order of the retractions, with the same payloads as the live path
// writes; and retention — deleting rejected submissions, erasing retracted statements and old
// contact details — never deletes or changes an event, because no event holds anything it erases:
// no name, text, title, submission id, receipt or time finer than a day.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importCsv } from '../../src/commands/csv-import.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { statementCommitment } from '../../src/domain/log-entry.js';
import * as publicationLog from '../../src/storage/migrations/2026-12-05-publication-log.js';
import { readPublicationEvents, readPublicationHead } from '../../src/storage/publication/publication-log.repository.js';
import type { PublicationEventTable } from '../../src/storage/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';

const DAY = 86_400_000;

describeEachDialect('the publication log: backfilled in order, and kept whole by retention', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteer: TestStaff;

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'backfill-editor', 'editor');
    volunteer = await addStaff(t.database, 'backfill-volunteer', 'volunteer');
  });
  after(() => t.close());

  const events = () => readPublicationEvents(t.database.db, 0, 100_000);
  const shape = (e: PublicationEventTable) => ({ kind: e.kind, number: e.registration_number, day: e.day, payload: JSON.parse(e.payload) as Record<string, unknown> });

  test('the backfill: one `published` event per numbered statement in number order, then the retractions in their order', async () => {
    const submitted = await Promise.all([0, 1, 2, 3].map((i) => submitPublic(t.app, { declarants: [{ displayName: `补录${i}`, nameKind: 'pseudonym', organizations: ['party'], region: '110000' }] })));
    await importCsv(t.database, Buffer.from('displayName,nameKind,organizations,region,channel,consent,language,title,text\n导入者,real,party;youth_league,310000,letter,yes,zh-hans,,\n'), volunteer.member);
    const imported = await t.database.db.selectFrom('submission').select('id').where('status', '=', 'pending').where('channel', '=', 'letter').executeTakeFirstOrThrow();
    const numbers = (await approveSubmissions(t.database, [...submitted.map((s) => s.id), imported.id], editor.member)).map((p) => p.registrationNumber);
    const pending = await submitPublic(t.app);
    const live = (await events()).map(shape);
    assert.equal(live[4]!.payload.channelKind, 'imported', 'an imported statement is told apart live');
    // Changes after publication: featured, and two retractions (the later number first).
    await featureStatement(t.database, submitted[2]!.id, true, editor.member);
    await retractStatement(t.database, submitted[3]!.receipt);
    await retractStatement(t.database, submitted[1]!.receipt);
    await retractStatement(t.database, pending.receipt);

    // As on a database from before the log: down, then up again.
    await publicationLog.down(t.database.db);
    await publicationLog.up(t.database.db);
    const backfilled = (await events()).map(shape);
    const retractedOrder = await t.database.db
      .selectFrom('submission')
      .select(['registration_number', 'updated_at'])
      .where('status', '=', 'retracted')
      .where('registration_number', 'is not', null)
      .orderBy('updated_at')
      .orderBy('registration_number')
      .execute();
    assert.deepEqual(
      backfilled.map((e) => [e.kind, e.number]),
      [...numbers.map((n) => ['published', n]), ...retractedOrder.map((r) => ['retracted', Number(r.registration_number)])],
    );
    assert.deepEqual(retractedOrder.map((r) => Number(r.registration_number)).sort(), [numbers[1], numbers[3]].sort());
    // The published events are the live ones, but for the featured flag of today and the
    // commitment, made again under a new salt.
    const withoutCommitment = (e: ReturnType<typeof shape>) => ({ ...e, payload: { ...e.payload, commitment: undefined } });
    assert.deepEqual(
      backfilled.slice(0, 5).map(withoutCommitment),
      live.map((e) => (e.number === numbers[2] ? { ...e, payload: { ...e.payload, featured: true } } : e)).map(withoutCommitment),
    );
    // A statement still published serves the new salt, which recomputes its backfilled commitment
    // (the migration's own copy of the hash is statementCommitment's, byte for byte); a retracted
    // one keeps no salt, and its commitment is to a salt nobody has.
    for (const [i, number] of numbers.entries()) {
      const commitment = backfilled[i]!.payload.commitment as string;
      assert.match(commitment, /^[A-Za-z0-9+/]{43}=$/);
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${number}` });
      if (number === numbers[1] || number === numbers[3]) {
        assert.equal(response.statusCode, 404);
        continue;
      }
      const statement = response.json();
      assert.equal(Buffer.from(statementCommitment(Buffer.from(statement.commitmentSalt, 'base64'), statement)).toString('base64'), commitment, `statement ${number}`);
    }
    const salted = await t.database.db.selectFrom('submission').select(['status', 'commitment_salt']).where('registration_number', 'is not', null).execute();
    assert.deepEqual(salted.map((r) => [r.status, r.commitment_salt === null]).sort(), [...Array(3).fill(['published', false]), ...Array(2).fill(['retracted', true])].sort());
    assert.deepEqual(backfilled[5]!.payload, { v: 1, persons: [{ organizations: ['party'], region: '110000' }] });
    // Published persons less retracted persons is the headline count.
    assert.equal(await readPublicationHead(t.database), backfilled.length);
    const [next] = await approveSubmissions(t.database, [(await submitPublic(t.app)).id], editor.member);
    assert.deepEqual((await events()).slice(-1).map((e) => [e.seq, e.registration_number]), [[backfilled.length + 1, next!.registrationNumber]]);
  });

  test('retention deletes and erases, and never an event; no event names anyone, says anything or dates anything within a day', async () => {
    const marks = { name: 'logmarkname', text: 'logmarktext', title: 'logmarktitle', contact: 'logmarkcontact' };
    const statement = {
      title: marks.title,
      text: `为日志测试而写的合成声明 ${marks.text}`,
      declarants: [{ displayName: marks.name, nameKind: 'real', organizations: ['young_pioneers'], region: '510000', occupation: 'education' }],
    };
    const retracted = await submitPublic(t.app, statement);
    const kept = await submitPublic(t.app, statement);
    const rejected = await submitPublic(t.app, statement);
    await approveSubmissions(t.database, [retracted.id, kept.id], editor.member);
    await retractStatement(t.database, retracted.receipt);
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    const before = await events();
    const report = await purgeExpired(t.database, { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 7, editsDays: 30 }, { actor: 'test', now: new Date(Date.now() + 400 * DAY) });
    assert.ok(report.submissions >= 1 && report.retracted >= 1, JSON.stringify(report));
    assert.deepEqual(await events(), before, 'retention changed the log');
    const ids = await t.database.db.selectFrom('submission').select('id').execute();
    const secrets = [...Object.values(marks), ...ids.map((r) => r.id), retracted.receipt, kept.receipt, rejected.receipt, retracted.id, rejected.id];
    for (const event of before) {
      const text = JSON.stringify(event);
      for (const secret of secrets) assert.ok(!text.includes(secret), `event ${event.seq} holds ${secret}`);
      assert.match(event.day, /^\d{4}-\d{2}-\d{2}$/);
      // The commitment is random-looking base64 of a hash (docs/log.md): looked at apart.
      const { commitment, ...payload } = JSON.parse(event.payload) as { commitment?: string };
      if (commitment !== undefined) assert.match(commitment, /^[A-Za-z0-9+/]{43}=$/);
      assert.doesNotMatch(JSON.stringify(payload), /\d{2}:\d{2}|T\d{2}/, `event ${event.seq} holds a time: ${event.payload}`);
    }
  });
});
