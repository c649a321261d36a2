import { OPEN_DATA_MEASURES, type OpenDataCounts, type OpenDataKey, type OpenDataMeasure, type OpenDataRow } from './open-data.js';

/**
 * Small-cell suppression of the open data, day by day and measure by measure.
 *
 * Primary: a count from 1 to `minCell − 1` is withheld (a zero is published: it says nobody).
 *
 * Complementary: the public can add things up. Within one day and one measure the site publishes
 * (or daily_count holds, and may publish) the day's total and the day's figure for each
 * organisation, region and channel. If exactly one cell of such a group were withheld, that
 * total minus the group's published cells would give it back. So, until no group of the day has
 * exactly one withheld cell, the smallest published cell of such a group is withheld too (a
 * non-zero one if there is any, else a zero of a row that exists for another measure).
 *
 * What this cannot do, said plainly in docs/open-data.md: a group made of one cell only equals
 * its total, so withholding a partner is impossible there; and the rows themselves show which
 * combinations had any event that day.
 */
export function suppressSmallCells(rows: readonly OpenDataCounts[], minCell: number): OpenDataRow[] {
  const published: OpenDataRow[] = rows.map((r) => ({ ...keyOf(r), counts: { ...r.counts }, suppressed: [] }));
  if (minCell <= 1) return published;
  for (const indices of indicesByDay(rows)) {
    const dayRows = indices.map((i) => rows[i]!);
    for (const measure of OPEN_DATA_MEASURES) {
      for (const local of withheldCells(dayRows, measure, minCell)) {
        const row = published[indices[local]!]!;
        row.counts[measure] = null;
        row.suppressed.push(measure);
      }
    }
  }
  for (const row of published) row.suppressed.sort((a, b) => OPEN_DATA_MEASURES.indexOf(a) - OPEN_DATA_MEASURES.indexOf(b));
  return published;
}

/**
 * The groups of one day whose totals are public or may become so: the whole day, and the cells
 * of each organisation, each region and each channel. Indices into the day's rows.
 */
export function dayGroups(dayRows: readonly OpenDataKey[]): number[][] {
  const groups: number[][] = [dayRows.map((_, i) => i)];
  for (const dimension of ['organization', 'region', 'channel'] as const) {
    const byValue = new Map<string, number[]>();
    dayRows.forEach((row, i) => pushTo(byValue, row[dimension], i));
    groups.push(...byValue.values());
  }
  return groups;
}

/** The indices (into `dayRows`) of the cells of one measure to withhold on one day. */
export function withheldCells(dayRows: readonly OpenDataCounts[], measure: OpenDataMeasure, minCell: number): Set<number> {
  const values = dayRows.map((r) => r.counts[measure]);
  const withheld = new Set<number>();
  values.forEach((v, i) => v > 0 && v < minCell && withheld.add(i));
  if (withheld.size === 0) return withheld;
  const groups = dayGroups(dayRows);
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      if (group.filter((i) => withheld.has(i)).length !== 1) continue;
      const partner = smallestOpenCell(group, values, withheld);
      if (partner === undefined) continue;
      withheld.add(partner);
      changed = true;
    }
  }
  return withheld;
}

/** The group's smallest published cell, non-zero ones first; ties go to the first in row order. */
function smallestOpenCell(group: number[], values: number[], withheld: Set<number>): number | undefined {
  let best: number | undefined;
  const rank = (i: number) => (values[i] === 0 ? Number.MAX_SAFE_INTEGER : values[i]!);
  for (const i of group) {
    if (withheld.has(i)) continue;
    if (best === undefined || rank(i) < rank(best)) best = i;
  }
  return best;
}

function keyOf(r: OpenDataKey): OpenDataKey {
  return { day: r.day, region: r.region, organization: r.organization, channel: r.channel };
}

function indicesByDay(rows: readonly OpenDataKey[]): number[][] {
  const byDay = new Map<string, number[]>();
  rows.forEach((row, i) => pushTo(byDay, row.day, i));
  return [...byDay.values()];
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
