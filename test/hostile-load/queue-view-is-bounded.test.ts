// A flood of copies of one long text (every submission within the anonymous limits) must not
// make the review queue slow or let it hold the write lock: a view of the queue or of one
// submission only reads what the background indexer stored, and the indexer's work is bounded
// per text and per transaction. Issue 13, item 1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NEAR_TEXT_SHOWN } from '../../src/commands/duplicate-hints.js';
import { INDEX_BATCH, indexBatch, indexPending } from '../../src/commands/hint-indexer.js';
import { editStatement } from '../../src/commands/statement-editor.js';
import { TextBandThread } from '../../src/commands/text-band-thread.js';
import { loadConfig } from '../../src/config.js';
import { COMPARED_LENGTH, textBands } from '../../src/domain/text-fingerprint.js';
import { startServer } from '../../src/server.js';
import { writeHintIndex } from '../../src/storage/review.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createStaff, getPage, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, getAs, submitPublic, tokenFor } from '../staff/staff-fixtures.js';
import { sql } from 'kysely';

/** A synthetic text of `length` CJK characters, the same for the same seed. */
function longText(length: number, seed: number): string {
  let x = seed;
  return Array.from({ length }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return String.fromCodePoint(0x4e00 + ((x >>> 8) % 0x5000));
  }).join('');
}

const FLOOD = 16;
const FLOOD_TEXT = longText(19_990, 1);

interface Item {
  id: string;
  hints: { pending: boolean; nearText: { id: string; similarity: number }[] };
}

describeEachDialect('the review queue over a flood of one long text', (dialect) => {
  let t: TestApp;
  let token = '';
  let editor: ConsoleSession;
  const flood: string[] = [];

  before(async () => {
    t = await createTestApp(dialect);
    token = (await tokenFor(t.database, await addStaff(t.database, 'flood-editor', 'editor'))).token;
    editor = await sessionOf(t.database, await createStaff(t.database, 'editor'));
    for (let i = 0; i < FLOOD; i++) flood.push((await submitPublic(t.app, { text: FLOOD_TEXT })).id);
  });
  after(() => t.close());

  /**
   * What a write would change, seen two ways: every row version of the hint tables (PostgreSQL:
   * each insert or update makes a new xmin; SQLite: the main connection's total_changes(), which
   * counts every row it inserted, updated or deleted), and the index state itself.
   */
  async function writeTrace(): Promise<unknown> {
    const db = t.database.db;
    const changes =
      dialect === 'sqlite'
        ? (await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n
        : (
            await sql<{ v: string }>`select string_agg(v, ',' order by v) as v from (
               select 's' || id || xmin::text as v from submission union all
               select 'd' || submission_id || position || xmin::text from declarant union all
               select 'b' || submission_id || band || xmin::text from submission_text_band) rows`.execute(db)
          ).rows[0]!.v;
    const indexed = await db.selectFrom('submission').select('id').where('text_indexed', '=', 1).orderBy('id').execute();
    const keys = await db.selectFrom('declarant').select(['submission_id', 'name_key']).orderBy('submission_id').orderBy('position').execute();
    const bands = await db.selectFrom('submission_text_band').select(['submission_id', 'band']).orderBy('submission_id').orderBy('band').execute();
    return { changes, indexed, keys, bands };
  }

  /** Every way staff look at the queue and at one submission. */
  async function viewEverything(id: string): Promise<{ items: Item[]; one: Item; page: string; detail: string }> {
    const queue = await getAs(t.app, '/api/v1/staff/queue', token);
    assert.equal(queue.statusCode, 200);
    const one = await getAs(t.app, `/api/v1/staff/submissions/${id}`, token);
    assert.equal(one.statusCode, 200);
    const page = await getPage(t.app, '/staff/queue', editor);
    assert.equal(page.statusCode, 200);
    const detail = await getPage(t.app, `/staff/submissions/${id}`, editor);
    assert.equal(detail.statusCode, 200);
    return { items: queue.json().items, one: one.json(), page: page.body, detail: detail.body };
  }

  test('before the indexer ran, every view only reads and says the hints are pending', async () => {
    const before = await writeTrace();
    const seen = await viewEverything(flood[0]!);
    assert.deepEqual(await writeTrace(), before, 'a GET wrote');
    const ours = seen.items.filter((i) => flood.includes(i.id));
    assert.equal(ours.length, FLOOD);
    for (const item of [...ours, seen.one]) assert.deepEqual([item.hints.pending, item.hints.nearText], [true, []], item.id);
    assert.ok(seen.page.includes('data-hints-pending') && seen.detail.includes('data-hints-pending'));
  });

  test('once indexed, each copy names the others as near-identical (a bounded few), and views still only read', async () => {
    assert.ok((await indexPending(t.database)) >= FLOOD);
    const before = await writeTrace();
    const seen = await viewEverything(flood[0]!);
    assert.deepEqual(await writeTrace(), before, 'a GET wrote');
    for (const item of [...seen.items.filter((i) => flood.includes(i.id)), seen.one]) {
      assert.equal(item.hints.pending, false);
      assert.equal(item.hints.nearText.length, Math.min(FLOOD - 1, NEAR_TEXT_SHOWN), item.id);
      for (const near of item.hints.nearText) {
        assert.ok(near.id !== item.id && flood.includes(near.id), near.id);
        assert.equal(near.similarity, 1);
      }
    }
    assert.ok(!seen.page.includes('data-hints-pending'));
    const shown = seen.detail.match(/data-hint="near-text"/g) ?? [];
    assert.equal(shown.length, Math.min(FLOOD - 1, NEAR_TEXT_SHOWN));
  });

  test('an edited text is indexed again by the indexer, never by a view', async () => {
    const member = (await addStaff(t.database, 'flood-redactor', 'editor')).member;
    await editStatement(t.database, flood[1]!, { text: longText(300, 2) }, member);
    const before = await writeTrace();
    assert.equal((await viewEverything(flood[1]!)).one.hints.pending, true);
    assert.deepEqual(await writeTrace(), before, 'a GET wrote');
    await indexPending(t.database);
    const after = (await getAs(t.app, `/api/v1/staff/submissions/${flood[1]}`, token)).json() as Item;
    assert.deepEqual([after.hints.pending, after.hints.nearText], [false, []], 'its new text is like no other');
    const bands = await t.database.db.selectFrom('submission_text_band').select('band').where('submission_id', '=', flood[1]!).orderBy('band').execute();
    assert.deepEqual(bands.map((b) => b.band), textBands(longText(300, 2)).sort());
  });

  test('one batch of the indexer writes at most INDEX_BATCH submissions, in one transaction', async () => {
    const fresh: string[] = [];
    for (let i = 0; i < INDEX_BATCH * 2 + 3; i++) fresh.push((await submitPublic(t.app, { text: longText(2_000, 100 + i) })).id);
    const thread = new TextBandThread();
    try {
      const indexedOf = async () =>
        (await t.database.db.selectFrom('submission').select('id').where('id', 'in', fresh).where('text_indexed', '=', 1).execute()).length;
      assert.deepEqual(await indexBatch(t.database, thread), { read: INDEX_BATCH, indexed: INDEX_BATCH });
      assert.equal(await indexedOf(), INDEX_BATCH);
      assert.deepEqual(await indexBatch(t.database, thread, 2), { read: 2, indexed: 2 });
      assert.equal(await indexedOf(), INDEX_BATCH + 2);
    } finally {
      await thread.close();
    }
    await indexPending(t.database);
  });

  test('bands computed from a text that was changed meanwhile are not stored', async () => {
    const { id } = await submitPublic(t.app, { text: longText(500, 7) });
    const stale = [{ id, text: longText(500, 8), bands: textBands(longText(500, 8)) }];
    const indexed = await t.database.db.transaction().execute((trx) => writeHintIndex(trx, t.database.dialect, stale, (n) => n));
    assert.equal(indexed, 0);
    const row = await t.database.db.selectFrom('submission').select('text_indexed').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.text_indexed, 0);
    assert.equal((await t.database.db.selectFrom('submission_text_band').select('band').where('submission_id', '=', id).execute()).length, 0);
    await indexPending(t.database);
  });

  test('inside serve the indexer indexes what arrives, and stops on close', async () => {
    const env = { DATA_DIR: t.dataDir, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), PORT: '0' };
    const server = await startServer({ ...loadConfig(env), logLevel: 'silent' }, { hintIndexer: { idleMs: 20 } });
    let id = '';
    try {
      id = (await submitPublic(t.app, { text: FLOOD_TEXT })).id;
      await server.hintIndexer.drain();
      const row = await t.database.db.selectFrom('submission').select('text_indexed').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.text_indexed, 1);
    } finally {
      await server.close();
    }
    const item = (await getAs(t.app, `/api/v1/staff/submissions/${id}`, token)).json() as Item;
    assert.equal(item.hints.nearText.length, NEAR_TEXT_SHOWN, 'found the earlier copies');
  });
});

test('the work per text is bounded: only its first COMPARED_LENGTH code units are compared', () => {
  const head = longText(COMPARED_LENGTH, 3);
  assert.deepEqual(textBands(head + longText(12_000, 4)), textBands(head), 'a different tail changes nothing');
  assert.deepEqual(textBands(FLOOD_TEXT), textBands(FLOOD_TEXT.slice(0, COMPARED_LENGTH)));
  const shorter = head.slice(0, COMPARED_LENGTH - 200);
  assert.notDeepEqual(textBands(shorter + longText(200, 5)), textBands(shorter + longText(200, 6)), 'below the cap every character counts');
  // The cut never splits a character written as a surrogate pair.
  const astral = `${head.slice(0, COMPARED_LENGTH - 1)}\u{20000}${longText(100, 9)}`;
  assert.deepEqual(textBands(astral), textBands(head.slice(0, COMPARED_LENGTH - 1)));
});
