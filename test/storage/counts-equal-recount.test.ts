import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { recountCounts } from '../../src/commands/counts-recounter.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { REGIONS } from '../../src/domain/regions.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectedCounts, storedCounts, type ModelStatement } from '../support/count-model.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, auditRows, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';

type Action =
  | { kind: 'submit'; people: number; region: number; orgs: number }
  | { kind: 'approve' | 'reject' | 'duplicate' | 'retract'; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('submit' as const), people: fc.integer({ min: 1, max: 3 }), region: fc.nat(REGIONS.length - 1), orgs: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constantFrom('approve' as const, 'reject' as const, 'duplicate' as const, 'retract' as const), pick: fc.nat() }),
);

describeEachDialect('the rollups always equal a recount from the base tables', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const submitted: { id: string; receipt: string }[] = [];

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'recount-editor', 'editor');
  });
  after(() => t.close());

  // The reference model: each statement as this test saw it happen, never read back from the
  // database; the counts it implies are worked out by test/support/count-model.ts.
  const model = new Map<string, ModelStatement>();
  const pickWith = (pick: number, statuses: string[]) => {
    const candidates = submitted.filter((s) => statuses.includes(model.get(s.id)!.status));
    return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
  };

  const run = async (a: Action) => {
    if (a.kind === 'submit') {
      const organizations = (['party', 'youth_league', 'young_pioneers'] as const).filter((_, i) => a.orgs & (1 << i));
      const declarants = Array.from({ length: a.people }, (_, i) => ({ displayName: `随机者${submitted.length}-${i}`, nameKind: 'pseudonym', organizations, region: REGIONS[a.region]![0] }));
      const created = await submitPublic(t.app, { declarants });
      submitted.push(created);
      model.set(created.id, { channel: 'web', people: declarants.map((d) => ({ region: d.region!, organizations })), status: 'pending', wasPublished: false });
      return;
    }
    const target = pickWith(a.pick, a.kind === 'retract' ? ['pending', 'published'] : ['pending']);
    if (!target) return;
    const statement = model.get(target.id)!;
    if (a.kind === 'approve') {
      await approveSubmissions(t.database, [target.id], editor.member);
      Object.assign(statement, { status: 'published', wasPublished: true });
    }
    if (a.kind === 'reject') {
      await rejectSubmissions(t.database, [target.id], 'spam', editor.member);
      Object.assign(statement, { status: 'rejected', reason: 'spam' });
    }
    if (a.kind === 'duplicate') {
      // Refused when the only other statement is itself: then nothing changes.
      const of = submitted[0]!.id === target.id ? submitted.at(-1)!.id : submitted[0]!.id;
      if (of !== target.id) {
        await markDuplicate(t.database, target.id, of, editor.member);
        statement.status = 'duplicate';
      }
    }
    if (a.kind === 'retract') {
      await retractStatement(t.database, target.receipt);
      statement.status = 'retracted';
    }
  };

  test('random sequences of submit, approve, reject, duplicate and retract never make the rollups drift', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        for (const a of actions) {
          await run(a);
          const { differences } = await recountCounts(t.database, { repair: false, actor: 'test' });
          assert.deepEqual(differences, [], `drift after ${JSON.stringify(a)}`);
          // The recount replays the same countMoves as the live path: the model does not.
          assert.deepEqual(await storedCounts(t.database), expectedCounts([...model.values()]), `the counts after ${JSON.stringify(a)}`);
        }
      }),
      { numRuns: 12, seed: 20261127 },
    );
    assert.ok(submitted.length > 5, 'the property exercised too little');
    const ended = new Set<string>([...model.values()].map((s) => (s.status === 'retracted' && s.wasPublished ? 'retracted after publication' : s.status)));
    for (const status of ['pending', 'published', 'rejected', 'duplicate', 'retracted', 'retracted after publication']) assert.ok(ended.has(status), `no statement ended ${status}`);
  });

  test('a tampered or missing cell is found, and --repair puts it right in one audited transaction', async () => {
    // Published persons in total: the cell the headline count is made of.
    const cell = await t.database.db.selectFrom('daily_count').selectAll().where('metric', '=', 'persons_received').where('dimension', '=', 'total').executeTakeFirstOrThrow();
    await t.database.db.updateTable('daily_count').set({ n: cell.n + 5 }).where('day', '=', cell.day).where('metric', '=', cell.metric).where('dimension', '=', cell.dimension).where('value', '=', cell.value).execute();
    const removed = await t.database.db.selectFrom('daily_count').selectAll().where('metric', '=', 'statements_received').where('dimension', '=', 'channel').executeTakeFirstOrThrow();
    await t.database.db.deleteFrom('daily_count').where('day', '=', removed.day).where('metric', '=', removed.metric).where('dimension', '=', removed.dimension).where('value', '=', removed.value).execute();

    const found = await recountCounts(t.database, { repair: false, actor: 'test' });
    assert.deepEqual(
      found.differences.map((d) => [d.metric, d.dimension, d.stored, d.recounted]).sort(),
      [['persons_received', 'total', cell.n + 5, cell.n], ['statements_received', 'channel', 0, removed.n]].sort(),
    );
    const auditBefore = (await auditRows(t.database, 'counts.repair')).length;
    const repaired = await recountCounts(t.database, { repair: true, actor: 'cli' });
    assert.equal(repaired.repaired, true);
    assert.deepEqual((await recountCounts(t.database, { repair: false, actor: 'test' })).differences, []);
    assert.equal((await auditRows(t.database, 'counts.repair')).length, auditBefore + 1);
    assert.equal((await verifyAuditChain(t.database)).ok, true);
    // Nothing to repair: no audit entry.
    assert.equal((await recountCounts(t.database, { repair: true, actor: 'cli' })).repaired, false);
    assert.equal((await auditRows(t.database, 'counts.repair')).length, auditBefore + 1);
  });

  test('the open data\'s rollup (daily_cell) is recounted too: a tampered cell is found, and --repair puts it right', async () => {
    const cell = await t.database.db.selectFrom('daily_cell').selectAll().where('metric', '=', 'persons_published').executeTakeFirstOrThrow();
    await t.database.db.updateTable('daily_cell').set({ n: cell.n + 3 }).where('day', '=', cell.day).where('metric', '=', cell.metric).where('value', '=', cell.value).execute();
    const found = await recountCounts(t.database, { repair: false, actor: 'test' });
    assert.deepEqual(found.differences.map((d) => [d.metric, d.dimension, d.value, d.stored, d.recounted]), [['persons_published', 'cell', cell.value, cell.n + 3, cell.n]]);
    assert.equal((await recountCounts(t.database, { repair: true, actor: 'cli' })).repaired, true);
    assert.deepEqual((await recountCounts(t.database, { repair: false, actor: 'test' })).differences, []);
    const after = await t.database.db.selectFrom('daily_cell').select('n').where('day', '=', cell.day).where('metric', '=', cell.metric).where('value', '=', cell.value).executeTakeFirstOrThrow();
    assert.equal(after.n, cell.n);
  });
});
