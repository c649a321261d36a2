import type { OpenData } from '../../commands/open-data-reader.js';
import type { OpenDataRow } from '../../domain/open-data.js';

/** The open-data columns, in order: the row's dimensions, the person counts, and which were withheld. */
export const OPEN_DATA_COLUMNS = [
  'day',
  'region',
  'organization',
  'channel',
  'persons_received',
  'persons_published',
  'persons_rejected',
  'persons_duplicate',
  'persons_retracted',
  'persons_retracted_pending',
  'suppressed',
] as const;

type Column = (typeof OPEN_DATA_COLUMNS)[number];

/** One open-data row as published: every field named; a withheld count is null. */
export type OpenDataRecord = { [K in Column]: K extends `persons_${string}` ? number | null : string };

/**
 * One row in its public shape. Only dimensions and counts exist in the row at all (the query reads
 * no name, text or id); `suppressed` lists the withheld columns, separated by spaces.
 */
export function presentOpenDataRow(row: OpenDataRow): OpenDataRecord {
  return {
    day: row.day,
    region: row.region,
    organization: row.organization,
    channel: row.channel,
    persons_received: row.counts.received,
    persons_published: row.counts.published,
    persons_rejected: row.counts.rejected,
    persons_duplicate: row.counts.duplicate,
    persons_retracted: row.counts.retracted,
    persons_retracted_pending: row.counts.retracted_pending,
    suppressed: row.suppressed.map((m) => `persons_${m}`).join(' '),
  };
}

/** The JSON document: the range, the threshold, the column order, and the rows. */
export function presentOpenData(data: OpenData) {
  return {
    from: data.from,
    to: data.to,
    minCell: data.minCell,
    columns: OPEN_DATA_COLUMNS,
    rows: data.rows.map(presentOpenDataRow),
  };
}
