// `rcenter demo --people N` as operators run it, on both databases: exactly N published persons
// with gapless registration numbers, counts and search entries that agree, a refusal to touch a
// database that already holds submissions, --append, and statements repeatable from the seed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { totalOf } from '../src/storage/count.repository.js';
import { noteVerifier, openNote } from '../src/tlog/index.js';
import type { Database } from '../src/storage/database.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';
import { runCli, type CliResult } from './support/server-process.js';

const show = (r: CliResult) => `exit ${r.code} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

async function published(database: Database) {
  const statements = await database.db
    .selectFrom('submission')
    .select(['id', 'registration_number', 'status', 'language', 'title', 'text', 'featured', 'channel', 'entered_by', 'consent'])
    .orderBy('registration_number')
    .execute();
  const declarants = await database.db.selectFrom('declarant').select(['submission_id', 'display_name', 'published_number']).execute();
  return { statements, declarants };
}

async function searchRows(database: Database): Promise<number> {
  const result = await sql<{ n: number | string }>`select count(*) as n from statement_search`.execute(database.db);
  return Number(result.rows[0]!.n);
}

/** The log holds `size` entries and its latest checkpoint verifies with DATA_DIR/log-signing.key's verifier key. */
async function assertLogIntegrated(t: TestDatabase, size: number): Promise<void> {
  const state = await t.database.db.selectFrom('log_state').select('size').executeTakeFirstOrThrow();
  assert.equal(Number(state.size), size);
  const checkpoint = await t.database.db.selectFrom('log_checkpoint').select('note').where('size', '=', size).executeTakeFirstOrThrow();
  const key = await runCli(['log', 'key'], { DATA_DIR: t.dataDir });
  assert.equal(key.code, 0, show(key));
  const opened = openNote(checkpoint.note, [noteVerifier(key.stdout.trim())]);
  assert.equal(opened.text.split('\n')[1], String(size));
}

describe('rcenter demo --help', () => {
  it('describes the command, warns against production and exits 0', async () => {
    const r = await runCli(['demo', '--help']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^Usage: rcenter demo\b/m);
    assert.match(r.stdout, /--people <n>/);
    assert.match(r.stdout, /Never run it against a production/);
  });

  it('refuses a missing or out-of-range --people before touching any database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-demo-args-'));
    try {
      for (const args of [[], ['--people', '0'], ['--people', '5000001'], ['--people', 'many']]) {
        const r = await runCli(['demo', ...args], { DATA_DIR: dataDir });
        assert.notEqual(r.code, 0, show(r));
      }
      assert.deepEqual(fs.readdirSync(dataDir), []);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeEachDialect('rcenter demo', (dialect) => {
  let t: TestDatabase;
  let env: Record<string, string | undefined>;

  before(async () => {
    t = await createTestDatabase(dialect);
    env = { DATA_DIR: t.dataDir, DATABASE_URL: t.databaseUrl };
  });
  after(async () => {
    await t?.cleanup();
  });

  it('publishes exactly N persons with gapless registration numbers, and counts and search agree', async () => {
    const r = await runCli(['demo', '--people', '300', '--seed', '7'], env, 60_000);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /published 300 synthetic persons in \d+ statements/);
    const { statements, declarants } = await published(t.database);
    assert.equal(declarants.length, 300);
    assert.ok(statements.every((s) => s.status === 'published'));
    assert.deepEqual(statements.map((s) => Number(s.registration_number)), statements.map((_, i) => i + 1));
    const numberOf = new Map(statements.map((s) => [s.id, Number(s.registration_number)]));
    assert.ok(declarants.every((d) => Number(d.published_number) === numberOf.get(d.submission_id)));
    assert.equal(await totalOf(t.database.db, 'persons_published'), 300);
    assert.equal(await totalOf(t.database.db, 'persons_received'), 300);
    assert.equal(await totalOf(t.database.db, 'statements_published'), statements.length);
    assert.equal(await searchRows(t.database), statements.length);
    const counter = await t.database.db.selectFrom('counter').select('value').where('name', '=', 'registration_number').executeTakeFirstOrThrow();
    assert.equal(Number(counter.value), statements.length);
    // Statements that did not come through the website were recorded, with consent, by someone.
    for (const s of statements) assert.equal(s.entered_by === null, s.channel === 'web');
    for (const s of statements) assert.equal(s.consent, s.channel === 'web' ? 0 : 1);
    // The transparency log is integrated, signed by the key serve will use: one entry a statement.
    assert.match(r.stdout, new RegExp(`transparency log \\S+ integrated: ${statements.length} entries`));
    await assertLogIntegrated(t, statements.length);
  });

  it('refuses a database that already holds submissions, and writes nothing', async () => {
    const before = await published(t.database);
    const r = await runCli(['demo', '--people', '50'], env, 60_000);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /already holds 300|already holds \d+ submissions; nothing was written/);
    assert.match(r.stderr, /--append/);
    assert.deepEqual(await published(t.database), before);
    assert.equal(await totalOf(t.database.db, 'persons_published'), 300);
  });

  it('--append adds more, numbered on from the last', async () => {
    const first = (await published(t.database)).statements.length;
    const r = await runCli(['demo', '--people', '40', '--seed', '8', '--append'], env, 60_000);
    assert.equal(r.code, 0, show(r));
    const { statements, declarants } = await published(t.database);
    assert.equal(declarants.length, 340);
    assert.equal(Number(statements[first]!.registration_number), first + 1);
    assert.deepEqual(statements.map((s) => Number(s.registration_number)), statements.map((_, i) => i + 1));
    assert.equal(await totalOf(t.database.db, 'persons_published'), 340);
    assert.equal(await searchRows(t.database), statements.length);
    await assertLogIntegrated(t, statements.length);
  });
});

describe('rcenter demo --seed', () => {
  it('the same seed publishes the same statements in another database', async () => {
    const a = await createTestDatabase('sqlite');
    const b = await createTestDatabase('sqlite');
    try {
      for (const t of [a, b]) {
        const r = await runCli(['demo', '--people', '120', '--seed', '99', '--data-dir', t.dataDir], {}, 60_000);
        assert.equal(r.code, 0, show(r));
      }
      const content = async (t: TestDatabase) => {
        const { statements, declarants } = await published(t.database);
        return {
          statements: statements.map(({ id: _id, entered_by, ...rest }) => ({ ...rest, recorded: entered_by !== null })),
          names: declarants.map((d) => `${d.published_number}:${d.display_name}`).sort(),
        };
      };
      assert.deepEqual(await content(a), await content(b));
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });
});
