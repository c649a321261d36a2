// The transparency log as a mirror or a verifier reads it (issue 14, docs/log.md): over the demo
// data and live publications, featurings and retractions, on both databases. Every check reads
// only what the app serves, and compares it with an independent RFC 6962 reference
// (test/tlog/support/merkle-reference.ts) or with the count rules of src/domain/log-entry.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { statementCommitment, type LogEntry } from '../../src/domain/log-entry.js';
import { REGIONS } from '../../src/domain/regions.js';
import { checkTree, proveTree, tileHashReader, tilePath, TILE_WIDTH, type Tile } from '../../src/tlog/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { getLog, readServedLog, servedTiles } from '../support/log-client.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { ReferenceTree } from '../tlog/support/merkle-reference.js';
import { leftovers, showHits } from '../storage/leftovers.js';

describeEachDialect('the transparency log is served and verifies', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'log-served-editor', 'editor');
    // More than one full tile of entries (a level-1 tile too), from the demo's bulk path.
    await fillDemo(t.database, { people: 900, seed: 14, append: false });
    await t.app.logSequencer.drain();
  });
  after(() => t.close());

  const publish = async (overrides: Record<string, unknown> = {}) => {
    const submitted = await submitPublic(t.app, overrides);
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    return { ...submitted, number: published!.registrationNumber };
  };

  test('the demo log: signed by the served key, its root the RFC 6962 hash of the served entries, every entry by the rules', async () => {
    const log = await readServedLog(t.app);
    const events = await t.database.db.selectFrom('publication_event').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(log.checkpoint.size, Number(events.n), 'every event is an entry');
    assert.ok(log.checkpoint.size > TILE_WIDTH, `more than one tile (${log.checkpoint.size})`);
    assert.deepEqual(log.decoded.map((e) => e.event), log.decoded.map((_, i) => i + 1), 'entry i is event i + 1');
    assert.equal(log.tally.total, 900, 'the demo’s persons');
  });

  test('hash tiles, full and partial, at levels 0 and 1, equal the reference’s; full tiles are immutable, partial ones short-lived', async () => {
    const log = await readServedLog(t.app);
    const reference = new ReferenceTree(log.entries);
    const size = log.checkpoint.size;
    const expected = (tile: Tile) => {
      const span = TILE_WIDTH ** tile.level;
      const hashes = Array.from({ length: tile.width }, (_, i) => reference.mth((tile.index * TILE_WIDTH + i) * span, (tile.index * TILE_WIDTH + i + 1) * span));
      return Buffer.concat(hashes);
    };
    const tiles: Tile[] = [
      { level: 0, index: 0, width: TILE_WIDTH },
      { level: 0, index: 0, width: 7 },
      { level: 0, index: Math.floor(size / TILE_WIDTH), width: size % TILE_WIDTH },
      { level: 1, index: 0, width: Math.floor(size / TILE_WIDTH) },
    ];
    for (const tile of tiles) {
      const served = await getLog(t.app, tilePath(tile));
      assert.deepEqual(Buffer.from(served.bytes), expected(tile), tilePath(tile));
      assert.equal(served.headers['content-type'], 'application/octet-stream');
      assert.equal(served.headers['cache-control'], tile.width === TILE_WIDTH ? 'public, max-age=31536000, immutable' : 'public, max-age=60', tilePath(tile));
    }
    const bundle = await getLog(t.app, 'tile/entries/000');
    assert.equal(bundle.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('the checkpoint is text/plain, not cached; the key is one line; beyond the checkpoint and malformed paths are 404 with the JSON error', async () => {
    const { checkpoint } = await readServedLog(t.app);
    const served = await getLog(t.app, 'checkpoint');
    assert.equal(served.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(served.headers['cache-control'], 'no-cache');
    assert.match((await getLog(t.app, 'key')).text, /^renunciation-center\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+\n$/);
    const level0 = Math.floor(checkpoint.size / TILE_WIDTH);
    const width = checkpoint.size % TILE_WIDTH;
    for (const path of [
      `tile/0/${String(level0).padStart(3, '0')}.p/${width + 1}`,
      `tile/entries/${String(level0 + 1).padStart(3, '0')}`,
      'tile/1/000',
      'tile/2/000.p/1',
      'tile/0/0',
      'tile/0/x000/001',
      'tile/0/000.p/256',
      'tile/0/000.p/0',
      'tile/64/000',
      'tile/entries/000.p/',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `/log/${path}` });
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.json().error.code, 'not_found', path);
    }
  });

  test('publishing, featuring and retracting grow the checkpoint; a consistency proof between two checkpoints verifies over served tiles', async () => {
    const before = (await readServedLog(t.app)).checkpoint;
    const one = await publish({ title: '日志一' });
    await featureStatement(t.database, one.id, true, editor.member);
    const two = await publish();
    await retractStatement(t.database, two.receipt);
    await t.app.logSequencer.drain();
    const log = await readServedLog(t.app);
    assert.equal(log.checkpoint.size, before.size + 4);
    assert.deepEqual(log.decoded.slice(-4).map((e) => [e.kind, e.number]), [['published', one.number], ['featured', one.number], ['published', two.number], ['retracted', two.number]]);
    const reader = tileHashReader({ size: log.checkpoint.size, hash: log.checkpoint.rootHash }, servedTiles(t.app));
    const proof = await proveTree(log.checkpoint.size, before.size, reader);
    checkTree(proof, log.checkpoint.size, log.checkpoint.rootHash, before.size, before.rootHash);
    assert.throws(() => checkTree(proof, log.checkpoint.size, log.checkpoint.rootHash, before.size, log.checkpoint.rootHash), 'a wrong old root fails');
  });

  test('/api/v1/stats is the tally of the first log.size served entries, breakdown by breakdown; stats.xml the same figures', async () => {
    await publish({ declarants: [{ displayName: '统计者', nameKind: 'real', organizations: ['young_pioneers'], region: 'overseas' }] });
    await t.app.logSequencer.drain();
    const log = await readServedLog(t.app);
    const stats = (await t.app.inject({ method: 'GET', url: '/api/v1/stats' })).json();
    assert.deepEqual(stats.log, { origin: 'renunciation-center.example/log', size: log.checkpoint.size, rootHash: Buffer.from(log.checkpoint.rootHash).toString('base64') });
    const { tally } = log;
    assert.equal(stats.total, tally.total);
    assert.deepEqual(stats.byOrganization, { party: tally.byOrganization.party ?? 0, youth_league: tally.byOrganization.youth_league ?? 0, young_pioneers: tally.byOrganization.young_pioneers ?? 0 });
    assert.deepEqual(stats.byRegion, Object.fromEntries(REGIONS.map(([code]) => [code, tally.byRegion[code] ?? 0])));
    assert.deepEqual(stats.byChannel, { self_submitted: tally.byChannel.self_submitted ?? 0, volunteer_recorded: tally.byChannel.volunteer_recorded ?? 0, imported: tally.byChannel.imported ?? 0 });
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(stats.day, today);
    const net = (pick: (day: string) => boolean) => Object.entries(tally.byDay).filter(([d]) => pick(d)).reduce((n, [, d]) => n + d.published - d.retracted, 0);
    assert.equal(stats.today, net((d) => d === today));
    assert.equal(stats.thisMonth, net((d) => d.slice(0, 7) === today.slice(0, 7) && d <= today));
    const xml = (await t.app.inject({ method: 'GET', url: '/api/v1/stats.xml' })).body;
    assert.match(xml, new RegExp(`<TOTAL>${tally.total}</TOTAL>`));
    assert.match(xml, new RegExp(`<TODAY>${stats.today}</TODAY>`));
    assert.deepEqual([...xml.matchAll(/<([A-Z]+)>/g)].map((m) => m[1]), ['STATS', 'TOTAL', 'TODAY', 'YESTERDAY', 'THISWEEK', 'THISMONTH', 'LASTUPDATE', 'LOGSIZE', 'LOGROOTHASH'], 'the checkpoint after the old elements');
    assert.match(xml, new RegExp(`<LOGSIZE>${stats.log.size}</LOGSIZE>`));
    assert.ok(xml.includes(`<LOGROOTHASH>${stats.log.rootHash}</LOGROOTHASH>`));
  });

  test('the salt a statement is served with recomputes the commitment of its log entry (API and page)', async () => {
    const demoNumber = 1;
    const live = await publish({ title: '承诺', declarants: [{ displayName: '盐', nameKind: 'real', organizations: ['party'], region: '110000', occupation: 'education' }] });
    await t.app.logSequencer.drain();
    const log = await readServedLog(t.app);
    for (const number of [demoNumber, live.number]) {
      const statement = (await t.app.inject({ method: 'GET', url: `/api/v1/statements/${number}` })).json();
      assert.match(statement.commitmentSalt, /^[A-Za-z0-9+/]{43}=$/);
      const entry = log.decoded.find((e) => e.kind === 'published' && e.number === number) as Extract<LogEntry, { commitment: Uint8Array }>;
      assert.deepEqual(Buffer.from(statementCommitment(Buffer.from(statement.commitmentSalt, 'base64'), statement)), Buffer.from(entry.commitment), `statement ${number}`);
      const listed = (await t.app.inject({ method: 'GET', url: `/api/v1/statements?date=${statement.publishedOn}` })).json();
      assert.equal(listed.statements.find((s: { registrationNumber: number }) => s.registrationNumber === number)?.commitmentSalt, statement.commitmentSalt, 'the lists serve it too');
      const page = await t.app.inject({ method: 'GET', url: `/en/s/${number}` });
      assert.ok(page.body.includes(`data-commitment-salt="${statement.commitmentSalt}"`), 'the statement page shows it');
    }
  });

  test('a retracted statement’s salt is gone from every table; its commitment stays in the log', async () => {
    const submitted = await publish({ title: '撤回的盐' });
    const salt = (await t.app.inject({ method: 'GET', url: `/api/v1/statements/${submitted.number}` })).json().commitmentSalt as string;
    await retractStatement(t.database, submitted.receipt);
    await t.app.logSequencer.drain();
    const hits = await leftovers(t.database, dialect, t.dataDir, [salt]);
    assert.deepEqual(hits, [], showHits(hits));
    const row = await t.database.db.selectFrom('submission').select('commitment_salt').where('id', '=', submitted.id).executeTakeFirstOrThrow();
    assert.equal(row.commitment_salt, null);
    const log = await readServedLog(t.app);
    const published = log.decoded.find((e) => e.kind === 'published' && e.number === submitted.number) as Extract<LogEntry, { commitment: Uint8Array }> | undefined;
    assert.equal(published?.commitment.length, 32, 'the commitment stays');
    assert.equal(log.decoded.at(-1)?.kind, 'retracted');
    // Nothing but a count of rows holds it: no salt column left anywhere with this statement's value.
    const salts = await sql<{ n: number | string }>`select count(*) as n from submission where commitment_salt is not null and status <> 'published'`.execute(t.database.db);
    assert.equal(Number(salts.rows[0]!.n), 0, 'only published statements keep a salt');
  });
});
