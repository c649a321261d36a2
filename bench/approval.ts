// What a bulk approval of 200 statements costs (issue 14: publication must not get slower when
// it also draws commitment salts): median wall time of `approveSubmissions` over fresh batches of
// 200 pending submissions, on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
//
//   node --import tsx bench/approval.ts [--rounds 15] [--batch 200]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { approveSubmissions } from '../src/commands/publication/submission-approver.js';
import type { Dialect } from '../src/storage/database.js';
import { createTestApp } from '../test/support/app.js';
import { addStaff, submitPublic } from '../test/staff/staff-fixtures.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, batch: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const batch = Number(values.batch);

async function measure(dialect: Dialect): Promise<number[]> {
  const t = await createTestApp(dialect);
  try {
    const editor = await addStaff(t.database, 'bench-editor', 'editor');
    const times: number[] = [];
    for (let round = 0; round < rounds + 2; round++) {
      const ids: string[] = [];
      for (let i = 0; i < batch; i++) ids.push((await submitPublic(t.app)).id);
      const started = performance.now();
      await approveSubmissions(t.database, ids, editor.member);
      // The first two rounds warm caches and compile queries.
      if (round >= 2) times.push(performance.now() - started);
    }
    return times;
  } finally {
    await t.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const dialect of (process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']) as Dialect[]) {
  const times = await measure(dialect);
  console.log(`${dialect}: approval of ${batch}: median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}, ${times.length} rounds)`);
}
