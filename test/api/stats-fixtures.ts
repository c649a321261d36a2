import assert from 'node:assert/strict';
import { xml2js, type Element } from 'xml-js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import type { Database } from '../../src/storage/database.js';
import type { TestApp } from '../support/app.js';
import { addStaff, submitAssisted, submitPublic, tokenFor } from '../staff/staff-fixtures.js';

/** Names and texts the statistics must never show. */
export const PRIVATE_MARKERS = ['统计测试甲', '统计测试乙', 'Stats Tester', '统计测试正文'];

/**
 * A small history through the real commands (so `daily_count` moves as in production):
 * published statements on the web and by phone, a family, a rejection, a duplicate,
 * a retraction after publication and one before.
 */
export async function fillStatsHistory(t: TestApp): Promise<void> {
  const editor = await addStaff(t.database, 'stats-editor', 'editor');
  const volunteer = await addStaff(t.database, 'stats-volunteer', 'volunteer');
  const { token } = await tokenFor(t.database, volunteer);
  const person = (displayName: string, organizations: string[], region: string) => ({ displayName, nameKind: 'pseudonym', organizations, region });
  const text = `${PRIVATE_MARKERS[3]}。`;
  const family = await submitPublic(t.app, { text, declarants: [person('统计测试甲', ['party', 'youth_league'], '110000'), person('统计测试乙', ['young_pioneers'], '440000')] });
  const single = await submitPublic(t.app, { text, declarants: [person('Stats Tester', ['youth_league'], 'overseas')] });
  const phone = await submitAssisted(t.app, token, { text, declarants: [person('统计测试甲', ['party'], '310000')] });
  const retracted = await submitPublic(t.app, { text, declarants: [person('统计测试乙', ['party'], '310000')] });
  const rejected = await submitPublic(t.app, { text, declarants: [person('统计测试甲', ['party'], '120000'), person('统计测试乙', ['party'], '120000')] });
  const duplicate = await submitPublic(t.app, { text, declarants: [person('Stats Tester', ['youth_league'], 'overseas')] });
  const withdrawnEarly = await submitPublic(t.app, { text, declarants: [person('统计测试甲', ['party'], '650000')] });
  await submitPublic(t.app, { text, declarants: [person('统计测试乙', ['party'], '650000')] }); // still pending
  await approveSubmissions(t.database, [family.id, single.id, phone.id, retracted.id], editor.member);
  await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
  await markDuplicate(t.database, duplicate.id, single.id, editor.member);
  await retractStatement(t.database, retracted.receipt);
  await retractStatement(t.database, withdrawnEarly.receipt);
}

/** The sum of one `daily_count` metric over all days, per value of one dimension. */
export async function rollupSums(database: Database, metric: string, dimension: string, day?: string): Promise<Map<string, number>> {
  let query = database.db
    .selectFrom('daily_count')
    .select(['value', (eb) => eb.fn.sum<string | number>('n').as('n')])
    .where('metric', '=', metric)
    .where('dimension', '=', dimension);
  if (day) query = query.where('day', '=', day);
  const rows = await query.groupBy('value').execute();
  return new Map(rows.map((r) => [r.value, Number(r.n)]));
}

/** Every `<svg>…</svg>` of a page, parsed as XML (it fails the test if one does not parse). */
export function svgsOf(html: string): Element[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => (xml2js(m[0]) as Element).elements!.find((e) => e.type === 'element')!);
}

function textOf(element: Element): string {
  return (element.elements ?? []).map((e) => (e.type === 'text' ? String(e.text) : textOf(e))).join('');
}

function childrenNamed(element: Element, name: string): Element[] {
  return (element.elements ?? []).filter((e) => e.type === 'element' && e.name === name);
}

/** One table of a page by id, parsed as XML: its caption, header cells and body rows as text. */
export function tableOf(html: string, id: string): { caption: string; headers: Element[]; rows: string[][]; rowHeaders: Element[] } {
  const match = new RegExp(`<table class="figures" id="${id}">[\\s\\S]*?</table>`).exec(html);
  assert.ok(match, `no table ${id}`);
  const table = (xml2js(match[0]) as Element).elements![0]!;
  const [caption] = childrenNamed(table, 'caption');
  const [thead] = childrenNamed(table, 'thead');
  const [tbody] = childrenNamed(table, 'tbody');
  const bodyRows = childrenNamed(tbody!, 'tr');
  return {
    caption: caption ? textOf(caption) : '',
    headers: childrenNamed(childrenNamed(thead!, 'tr')[0]!, 'th'),
    rows: bodyRows.map((tr) => (tr.elements ?? []).map(textOf)),
    rowHeaders: bodyRows.flatMap((tr) => childrenNamed(tr, 'th')),
  };
}

/** A figure as the page prints it ("1,234") back to a number. */
export function figure(text: string): number {
  return Number(text.replace(/[,\s]/g, ''));
}
