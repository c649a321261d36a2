import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { NewPublicationEvent } from '../../domain/publication-event.js';
import type { Database } from '../database.js';
import type { PublicationEventTable, Schema } from '../schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

// The publication log (migration 2026-12-05-publication-log): `publication_event`, append-only,
// and `publication_log_head`, the last seq given out. This file is the only writer of both, and
// it only ever inserts events: there is no UPDATE or DELETE of an event anywhere.

// 5 columns × 1,000 rows stays far below SQLite's 32,766 bound parameters.
const EVENTS_PER_INSERT = 1000;

/**
 * Appends events in the caller's transaction, in the order given, and returns the seq of the
 * first (or of the head, when there are none). The UPDATE of the head row takes its lock until
 * the transaction ends, so concurrent appenders on PostgreSQL wait for each other and get
 * consecutive ranges, and a rolled-back transaction gives its numbers back: the log has no gaps.
 * Call it last in the transaction, after every other write (counts, audit entry, indexes): the
 * head is then the last lock every publisher takes, so none waits for another while holding it
 * (no deadlock), and it is held only until the commit.
 */
export async function appendPublicationEvents(trx: Transaction<Schema>, events: readonly NewPublicationEvent[]): Promise<number> {
  const head = await trx
    .updateTable('publication_log_head')
    .set({ seq: sql`seq + ${events.length}` })
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow();
  const first = Number(head.seq) - events.length + 1;
  const rows = events.map((event, i) => ({
    seq: first + i,
    kind: event.kind,
    registration_number: event.registrationNumber,
    day: event.day,
    payload: JSON.stringify(event.payload),
  }));
  for (let i = 0; i < rows.length; i += EVENTS_PER_INSERT) {
    await trx.insertInto('publication_event').values(rows.slice(i, i + EVENTS_PER_INSERT)).execute();
  }
  return first;
}

/** The head read, compiled once per database: every public page asks it. */
const headQuery = new WeakMap<object, CompiledQuery>();

function compiledHead(db: Db): CompiledQuery {
  const adapter = db.getExecutor().adapter;
  let compiled = headQuery.get(adapter);
  if (!compiled) headQuery.set(adapter, (compiled = db.selectFrom('publication_log_head').select('seq').where('id', '=', 1).compile()));
  return compiled;
}

/**
 * The seq of the last event committed: one primary-key read. On SQLite it runs at once on the
 * read-only connection (no event-loop turn); on PostgreSQL through the pool.
 */
export function readPublicationHead(database: Database): number | Promise<number> {
  const query = compiledHead(database.db);
  if (database.readFirstSync) return Number(database.readFirstSync<{ seq: number }>(query)?.seq ?? 0);
  return database.db.executeQuery<{ seq: number | string }>(query).then((result) => Number(result.rows[0]?.seq ?? 0));
}

/** The seq of each statement's latest event, for the numbers that have one. */
export async function latestEventOf(db: Db, registrationNumbers: readonly number[]): Promise<Map<number, number>> {
  if (registrationNumbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('publication_event')
    .select(['registration_number', (eb) => eb.fn.max('seq').as('seq')])
    .where('registration_number', 'in', [...registrationNumbers])
    .groupBy('registration_number')
    .execute();
  return new Map(rows.map((r) => [Number(r.registration_number), Number(r.seq)]));
}

/** Events after `afterSeq`, in order, at most `limit`: what a follower reads next. */
export async function readPublicationEvents(db: Db, afterSeq: number, limit: number): Promise<PublicationEventTable[]> {
  const rows = await db.selectFrom('publication_event').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), registration_number: Number(r.registration_number) }));
}
