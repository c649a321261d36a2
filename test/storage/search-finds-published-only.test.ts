import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { searchStatements } from '../../src/commands/statement-search.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { addStaff, type TestStaff } from '../staff/staff-fixtures.js';
import { addPending, addPublished, type StatementSpec } from './search-fixtures.js';

describeEachDialect('search finds published statements only', (dialect) => {
  let t: TestDatabase;
  let editor: TestStaff;

  before(async () => {
    t = await createTestDatabase(dialect);
    editor = await addStaff(t.database, 'search-editor', 'editor');
  });
  after(() => t.cleanup());

  const publish = (spec: StatementSpec) => addPublished(t.database, editor, spec);
  const find = async (q: string) => (await searchStatements(t.database, q, 1, 50)).numbers;
  const numbersOf = (...published: { registrationNumber: number }[]) => published.map((p) => p.registrationNumber).sort((a, b) => b - a);

  test('one Chinese character finds it at the start, inside and at the end of a run, and alone', async () => {
    const start = await publish({ text: '鹿在山上吃草' });
    const inside = await publish({ text: '山上有鹿群' });
    const end = await publish({ text: '我看见一只白鹿。' });
    const alone = await publish({ text: '鹿' });
    await publish({ text: '山上有麋' });
    assert.deepEqual(await find('鹿'), numbersOf(start, inside, end, alone));
  });

  test('two and three or more characters find the exact sequence, not the characters apart', async () => {
    const exact = await publish({ text: '冬天梅花开了。' });
    await publish({ text: '花梅开，梅，花' });
    assert.deepEqual(await find('梅花'), numbersOf(exact));
    assert.deepEqual(await find('梅花开'), numbersOf(exact));
    assert.deepEqual(await find('冬天梅花开了'), numbersOf(exact));
    assert.deepEqual(await find('开梅'), []);
    assert.deepEqual(await find('梅花开了冬天'), []);
  });

  test('a Traditional query finds Simplified text, and a Simplified query finds Traditional text', async () => {
    const simplified = await publish({ text: '我决定离开共产党组织。' });
    const traditional = await publish({ text: '本人聲明脫離共青團組織。' });
    assert.deepEqual(await find('離開共產黨'), numbersOf(simplified));
    assert.deepEqual(await find('脱离共青团'), numbersOf(traditional));
    assert.deepEqual(await find('團'), numbersOf(traditional));
    assert.deepEqual(await find('组织'), numbersOf(simplified, traditional));
    assert.deepEqual(await find('組織'), numbersOf(simplified, traditional));
  });

  test('an English word is found by its start, in any case, full-width or not', async () => {
    const english = await publish({ title: 'Renouncing', text: 'I leave the Youth League freely and without fear.' });
    assert.deepEqual(await find('renoun'), numbersOf(english));
    assert.deepEqual(await find('YOUTH leag'), numbersOf(english));
    assert.deepEqual(await find('ｆｒｅｅ'), numbersOf(english));
    assert.deepEqual(await find('ouncing'), [], 'not from inside a word');
  });

  test('every term must match (AND)', async () => {
    const river = await publish({ text: '松树 by the river' });
    const mountain = await publish({ text: '松树 on the mountain' });
    assert.deepEqual(await find('松树'), numbersOf(river, mountain));
    assert.deepEqual(await find('松树 river'), numbersOf(river));
    assert.deepEqual(await find('松树，mountain'), numbersOf(mountain));
    assert.deepEqual(await find('river mountain'), []);
  });

  test('a pending, rejected or duplicate statement is never found; once approved it is', async () => {
    const pending = await addPending(t.database, { text: '独角兽在森林里' });
    const rejected = await addPending(t.database, { text: '独角兽在森林里' });
    const duplicate = await addPending(t.database, { text: '独角兽在森林里' });
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    await markDuplicate(t.database, duplicate.id, pending.id, editor.member);
    assert.deepEqual(await find('独角兽'), []);
    assert.deepEqual(await find('兽'), []);
    const [approved] = await approveSubmissions(t.database, [pending.id], editor.member);
    assert.deepEqual(await find('独角兽'), [approved!.registrationNumber]);
  });

  test('a retracted statement is no longer found', async () => {
    const kept = await publish({ text: '凤凰涅槃，浴火重生' });
    const retracted = await publish({ text: '凤凰涅槃' });
    assert.deepEqual(await find('凤凰涅槃'), numbersOf(kept, retracted));
    await retractStatement(t.database, retracted.receipt);
    assert.deepEqual(await find('凤凰涅槃'), numbersOf(kept));
    assert.deepEqual(await find('凤'), numbersOf(kept));
  });

  test('a declarant’s display name is found, for every declarant of a family statement', async () => {
    const family = await publish({ text: '全家一起声明', names: ['诸葛孔明', 'Ada Lovelace'] });
    assert.deepEqual(await find('孔明'), numbersOf(family));
    assert.deepEqual(await find('諸葛'), numbersOf(family));
    assert.deepEqual(await find('lovelace'), numbersOf(family));
  });

  test('results come newest first, a page at a time, with hasMore and no total', async () => {
    const all: number[] = [];
    for (let i = 0; i < 7; i++) all.push((await publish({ text: `翡翠第${i}号` })).registrationNumber);
    const newest = [...all].reverse();
    const page = (n: number) => searchStatements(t.database, '翡翠', n, 3);
    assert.deepEqual(await page(1), { empty: false, numbers: newest.slice(0, 3), hasMore: true, highlight: ['翡翠'] });
    assert.deepEqual((await page(2)).numbers, newest.slice(3, 6));
    assert.deepEqual(await page(3), { empty: false, numbers: newest.slice(6), hasMore: false, highlight: ['翡翠'] });
    assert.deepEqual((await page(4)).numbers, []);
    for (const bad of [0, -1, 1.5, Number.NaN, 1e9]) assert.deepEqual((await page(bad)).numbers, [], `page ${bad}`);
  });

  test('a query with nothing to search for is empty, with no results and no error', async () => {
    for (const q of ['', '   ', '。，！？', '"*()', '\u0000\u202e']) {
      assert.deepEqual(await searchStatements(t.database, q, 1, 20), { empty: true, numbers: [], hasMore: false, highlight: [] }, JSON.stringify(q));
    }
  });
});
