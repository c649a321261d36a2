// What a bulk approval of 200 statements costs against another tree of this project (issue 14:
// drawing commitment salts and hashing commitments must not make publication more than 10 %
// slower): `approveSubmissions` of 200 fresh pending submissions, in this tree and in the other
// one (say a `git archive` of main unpacked with a node_modules link), alternately in one
// process, so machine noise hits both alike; medians and their ratio.
//
//   node --import tsx bench/approval.ts <other tree> [sqlite|postgres] [rounds]
//
// PostgreSQL needs TEST_DATABASE_URL. Measured for issue 14 (2 cores, SQLite): ratio 1.05–1.13
// over 40–80 paired rounds (≈ 30 ms → 31.5 ms median); PostgreSQL 0.96 (≈ 265 ms, noise).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [other, dialectArg = 'sqlite', roundsArg = '40'] = process.argv.slice(2);
if (!other) throw new Error('usage: bench/approval.ts <other tree> [sqlite|postgres] [rounds]');
const dialect = dialectArg as 'sqlite' | 'postgres';
const rounds = Number(roundsArg);

async function setup(root: string) {
  const { createTestApp } = await import(path.join(root, 'test/support/app.ts'));
  const { addStaff, submitPublic } = await import(path.join(root, 'test/staff/staff-fixtures.ts'));
  const { approveSubmissions } = await import(path.join(root, 'src/commands/publication/submission-approver.ts'));
  const t = await createTestApp(dialect);
  const editor = await addStaff(t.database, 'bench-editor', 'editor');
  return {
    close: () => t.close(),
    async round(): Promise<number> {
      const ids: string[] = [];
      for (let i = 0; i < 200; i++) ids.push((await submitPublic(t.app)).id);
      const started = performance.now();
      await approveSubmissions(t.database, ids, editor.member);
      return performance.now() - started;
    },
  };
}

const trees = { other: await setup(path.resolve(other)), this: await setup(here) };
const times = { other: [] as number[], this: [] as number[] };
for (let r = 0; r < rounds + 2; r++) {
  const order = r % 2 === 0 ? (['other', 'this'] as const) : (['this', 'other'] as const);
  for (const name of order) {
    const ms = await trees[name].round();
    // The first two rounds warm caches and compile queries.
    if (r >= 2) times[name].push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${dialect}: approval of 200, median: other tree ${median(times.other).toFixed(1)} ms, this tree ${median(times.this).toFixed(1)} ms, ` +
    `ratio ${(median(times.this) / median(times.other)).toFixed(3)} (${rounds} paired rounds)`,
);
await trees.other.close();
await trees.this.close();
