// While a flood of submissions keeps the SQLite writer busy (or a reader holds an old snapshot),
// the WAL cannot start again from its beginning and grows. Once it can, the next write must trim
// the file back (journal_size_limit, database.ts) rather than leave the flood's size on the disk.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { buildSubmissionRecord } from '../../src/commands/submission-record.js';
import type { SubmissionDraft } from '../../src/domain/submission.js';
import { createSubmissionWriter } from '../../src/storage/submission-writer.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const LIMIT = 64 * 1024 * 1024;

async function longSubmission(n: number) {
  const draft = {
    language: 'zh-hans',
    title: `合成的长声明 ${n}`,
    // 20,000 characters (the most a statement may have), different for each submission.
    text: `${n} ${'这是为测试而写的一段合成文字。'.repeat(1333)}`.slice(0, 20_000),
    contact: null,
    declarants: [{ displayName: `测试者${n}`, nameKind: 'pseudonym', organizations: ['party'], region: '110000', occupation: null }],
  } as unknown as SubmissionDraft;
  return (await buildSubmissionRecord(draft, { channel: 'web', proofOfWork: true, ageRecipients: [] })).record;
}

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase('sqlite');
});
after(async () => {
  await t.cleanup();
});

test('sqlite: after a flood has grown the WAL past 64 MiB, the next write once it is checkpointed trims it back', async () => {
  const file = t.database.file!;
  const walSize = () => fs.statSync(`${file}-wal`).size;
  const writer = createSubmissionWriter(t.database, { maxBatch: 64, maxQueue: 10_000 });

  // A reader holding its snapshot keeps every frame of the flood in the WAL, however often the
  // checkpoint thread runs: the WAL has to grow, as it does under a flood with no gap.
  const reader = new SQLite(file, { readonly: true });
  reader.prepare('BEGIN').run();
  reader.prepare('select count(*) from submission').get();
  const flood = await Promise.all(Array.from({ length: 1400 }, (_, n) => longSubmission(n)));
  await Promise.all(flood.map((record) => writer.submit(record)));
  reader.prepare('COMMIT').run();
  const grown = walSize();
  assert.ok(grown > LIMIT, `the flood grew the WAL past the limit (${grown} bytes)`);

  // Let every frame be copied back (the checkpoint thread does this on its own within 200 ms;
  // asking here makes the test independent of its timing).
  const checker = new SQLite(file);
  try {
    for (let i = 0; i < 100; i++) {
      const [state] = checker.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      if (state!.log === state!.checkpointed) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    checker.close();
  }
  assert.equal(walSize(), grown, 'a checkpoint alone leaves the file as it is');

  // The next submission starts the WAL from its beginning, and trims the file.
  await writer.submit(await longSubmission(1400));
  const trimmed = walSize();
  assert.ok(trimmed <= LIMIT, `the WAL is back within 64 MiB (${trimmed} bytes, was ${grown})`);

  const stored = await t.database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(stored.n), 1401, 'every submission of the flood is stored');
});
