import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { createStatementPageTriggers, dropStatementPageTriggers } from './2026-11-30-statement-pages.js';

// Frozen in time: this file never imports application code, so it means the same forever. (It
// imports the triggers of an older migration, which is as frozen as it is.)
//
// Publication is one ordered log (DESIGN.md): every transaction that changes what the public
// sees appends one row to `publication_event`, numbered by `seq` from 1 without gaps. The number
// is taken from the one row of `publication_log_head` by an UPDATE, which holds that row's lock
// until the transaction ends: on PostgreSQL concurrent publishers queue for it and a rollback
// gives its numbers back (a sequence or identity column would leave gaps); on SQLite the single
// writer is enough, and the same UPDATE serves. The head is also what readers poll: one
// primary-key read says whether anything changed.
//
// Columns: `kind` (published, amended, featured, unfeatured, translated, retracted), the
// statement's `registration_number`, the UTC `day` of the event and a JSON `payload` of what the
// transparency log and mirrors will need (src/domain/publication-event.ts) — never a name, a text,
// a submission id, a receipt or a time finer than a day, so nothing in it is something retention
// must erase, and the table is append-only: triggers refuse UPDATE, DELETE (and TRUNCATE).
//
// The backfill: one `published` event for every statement that was ever published (it has a
// registration number), in registration-number order and dated by its publication day, then one
// `retracted` event for each of those retracted since, in the order of their retraction (dated by
// its day). So the log accounts for every registration number given out, the persons of its
// published events less those of its retracted events are the headline count, and a retraction
// stays visible as one (promise 6: the count's history shows retractions as such). The real
// interleaving of past publications and retractions is not known to the minute; the backfill puts
// the retractions last. A backfilled payload's `featured` is the statement's flag today.
//
// Stored statement pages now carry the `seq` of their statement's latest event when they were
// rendered, and are served only while it is still the latest: the 14 triggers that deleted pages
// on every change (migration 2026-11-30-statement-pages) go. Pages stored before have seq 0 and
// are rendered again (an upgrade changes the build, so they would be anyway).
//
// Commitments (docs/log.md, "Commitments"): every `published` event carries `commitment`, the
// salted SHA-256 of the statement's published fields. A statement published today gets its 32
// random bytes of salt in `submission.commitment_salt` (base64), served with it; a statement
// retracted since gets a commitment under a salt drawn here and kept nowhere, so its event is
// well formed and nobody can ever confirm what it said. The hash is written out below rather than
// imported (frozen in time), byte for byte as `statementCommitment` in src/domain/log-entry.ts.
//
// `submission.imported` tells a statement from a volunteer's CSV import apart from one a volunteer
// typed in (the log's channel kind); filled here from the audit log's `submission.assisted`
// entries, whose details name the source.

const KINDS = ['published', 'amended', 'featured', 'unfeatured', 'translated', 'retracted'];
const ORGANIZATIONS = ['party', 'youth_league', 'young_pioneers'] as const;
const STATEMENTS_PER_CHUNK = 2000;
const EVENTS_PER_INSERT = 1000;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('publication_log_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', sqlite ? 'integer' : 'bigint', (c) => c.notNull().check(sql`seq >= 0`))
    .execute();
  await db.schema
    .createTable('publication_event')
    // SQLite: INTEGER PRIMARY KEY is the rowid. Given explicitly, never by the database.
    .addColumn('seq', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey().check(sql`seq >= 1`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${KINDS.map((k) => `'${k}'`).join(', ')})`)))
    .addColumn('registration_number', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull().check(sql`day like '____-__-__'`))
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  // A statement's latest event: what a stored page of it must have been rendered after.
  await db.schema.createIndex('publication_event_statement').on('publication_event').columns(['registration_number', 'seq']).execute();
  await appendOnly(db, sqlite);

  await db.schema.alterTable('submission').addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('submission').addColumn('commitment_salt', 'text').execute();
  await sql`update submission set imported = 1 where id in (
      select target from audit_log where action = 'submission.assisted' and details like '%"source":"import"%')`.execute(db);

  await dropStatementPageTriggers(db);
  await db.schema.alterTable('statement_page').addColumn('seq', sqlite ? 'integer' : 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  const last = await backfill(db);
  await db.insertInto('publication_log_head').values({ id: 1, seq: last }).execute();
}

async function appendOnly(db: Kysely<any>, sqlite: boolean): Promise<void> {
  const statements = sqlite
    ? ['update', 'delete'].map(
        (op) => `create trigger publication_event_no_${op} before ${op} on publication_event
           begin select raise(abort, 'publication_event is append-only'); end`,
      )
    : [
        `create function publication_event_append_only() returns trigger language plpgsql as $$
         begin raise exception 'publication_event is append-only'; end $$`,
        `create trigger publication_event_append_only before update or delete or truncate on publication_event
           for each statement execute function publication_event_append_only()`,
      ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

interface Numbered {
  id: string;
  registration_number: number | string;
  status: string;
  channel: string;
  imported: number;
  featured: number;
  language: string;
  title: string | null;
  text: string | null;
  published_at: string | null;
  updated_at: string;
}

/** Appends the events of what is published and retracted today; returns the last seq. */
async function backfill(db: Kysely<any>): Promise<number> {
  let seq = 0;
  let after = 0;
  for (;;) {
    const rows: Numbered[] = await db
      .selectFrom('submission')
      .select(['id', 'registration_number', 'status', 'channel', 'imported', 'featured', 'language', 'title', 'text', 'published_at', 'updated_at'])
      .where('registration_number', '>', after)
      .orderBy('registration_number')
      .limit(STATEMENTS_PER_CHUNK)
      .execute();
    if (rows.length === 0) break;
    const declarants = await declarantsOf(db, rows.map((r) => r.id));
    const salts: [string, string][] = [];
    await insertEvents(
      db,
      rows.map((r) => {
        const people = declarants.get(r.id) ?? [];
        const salt = randomBytes(32);
        // Only a statement still published keeps its salt (and serves it).
        if (r.status === 'published') salts.push([r.id, salt.toString('base64')]);
        const persons = people.map((d) => ({ organizations: ORGANIZATIONS.filter((o) => Number(d[o]) === 1), region: d.region }));
        return {
          seq: ++seq,
          kind: 'published',
          registration_number: Number(r.registration_number),
          day: (r.published_at ?? r.updated_at).slice(0, 10),
          payload: JSON.stringify({ v: 1, channelKind: channelKind(r), featured: Number(r.featured) === 1, persons, commitment: commitment(salt, r, people) }),
        };
      }),
    );
    await storeSalts(db, salts);
    after = Number(rows[rows.length - 1]!.registration_number);
  }
  const retracted: Pick<Numbered, 'id' | 'registration_number' | 'updated_at'>[] = await db
    .selectFrom('submission')
    .select(['id', 'registration_number', 'updated_at'])
    .where('status', '=', 'retracted')
    .where('registration_number', 'is not', null)
    .execute();
  retracted.sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : Number(a.registration_number) - Number(b.registration_number)));
  for (let i = 0; i < retracted.length; i += STATEMENTS_PER_CHUNK) {
    const chunk = retracted.slice(i, i + STATEMENTS_PER_CHUNK);
    const persons = await personsOf(db, chunk.map((r) => r.id));
    await insertEvents(
      db,
      chunk.map((r) => ({
        seq: ++seq,
        kind: 'retracted',
        registration_number: Number(r.registration_number),
        day: r.updated_at.slice(0, 10),
        payload: JSON.stringify({ v: 1, persons: persons.get(r.id) ?? [] }),
      })),
    );
  }
  return seq;
}

function channelKind(r: Numbered): string {
  if (r.channel === 'web') return 'self_submitted';
  return Number(r.imported) === 1 ? 'imported' : 'volunteer_recorded';
}

type DeclarantRow = { submission_id: string; display_name: string; name_kind: string; region: string; occupation: string | null } & Record<
  (typeof ORGANIZATIONS)[number],
  number
>;

/** Each submission's declarants, in order, with the fields a commitment covers. */
async function declarantsOf(db: Kysely<any>, ids: string[]): Promise<Map<string, DeclarantRow[]>> {
  const rows: DeclarantRow[] = await db
    .selectFrom('declarant')
    .select(['submission_id', 'display_name', 'name_kind', 'region', 'occupation', ...ORGANIZATIONS])
    .where('submission_id', 'in', ids)
    .orderBy('submission_id')
    .orderBy('position')
    .execute();
  const declarants = new Map<string, DeclarantRow[]>();
  for (const row of rows) {
    let list = declarants.get(row.submission_id);
    if (!list) declarants.set(row.submission_id, (list = []));
    list.push(row);
  }
  return declarants;
}

/** Base64 of the commitment (docs/log.md) to the statement as the statement API presents it. */
function commitment(salt: Buffer, r: Numbered, declarants: DeclarantRow[]): string {
  const hash = createHash('sha256').update('rc-commitment/v1\n', 'ascii').update(salt);
  const put = (value: string | null) => {
    const length = Buffer.alloc(4);
    if (value === null) {
      hash.update(length.fill(0xff));
      return;
    }
    const bytes = Buffer.from(value, 'utf8');
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  put(String(Number(r.registration_number)));
  put((r.published_at ?? r.updated_at).slice(0, 10));
  put(r.language);
  put(r.title);
  put(r.text);
  put(String(declarants.length));
  for (const d of declarants) {
    put(d.display_name);
    put(d.name_kind === 'real' ? 'real' : 'pseudonym');
    put(ORGANIZATIONS.filter((o) => Number(d[o]) === 1).join(','));
    put(d.region);
    put(d.occupation);
  }
  return hash.digest('base64');
}

/** Sets `commitment_salt` of many submissions, a few statements each (VALUES columns are column1, column2 in both dialects). */
async function storeSalts(db: Kysely<any>, salts: [string, string][]): Promise<void> {
  for (let i = 0; i < salts.length; i += EVENTS_PER_INSERT) {
    const values = sql.join(salts.slice(i, i + EVENTS_PER_INSERT).map(([id, salt]) => sql`(${id}, ${salt})`));
    await sql`update submission set commitment_salt = v.column2 from (values ${values}) as v where submission.id = v.column1`.execute(db);
  }
}

/** Each submission's persons, in order: organisations and region only. */
async function personsOf(db: Kysely<any>, ids: string[]): Promise<Map<string, { organizations: string[]; region: string }[]>> {
  const rows: ({ submission_id: string; region: string } & Record<(typeof ORGANIZATIONS)[number], number>)[] = await db
    .selectFrom('declarant')
    .select(['submission_id', 'region', ...ORGANIZATIONS])
    .where('submission_id', 'in', ids)
    .orderBy('submission_id')
    .orderBy('position')
    .execute();
  const persons = new Map<string, { organizations: string[]; region: string }[]>();
  for (const row of rows) {
    let list = persons.get(row.submission_id);
    if (!list) persons.set(row.submission_id, (list = []));
    list.push({ organizations: ORGANIZATIONS.filter((o) => Number(row[o]) === 1), region: row.region });
  }
  return persons;
}

async function insertEvents(db: Kysely<any>, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += EVENTS_PER_INSERT) await db.insertInto('publication_event').values(rows.slice(i, i + EVENTS_PER_INSERT)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // Pages rendered under the log are not kept by the triggers that come back: drop them all.
  await db.deleteFrom('statement_page').execute();
  await db.schema.alterTable('statement_page').dropColumn('seq').execute();
  await createStatementPageTriggers(db);
  await db.schema.alterTable('submission').dropColumn('commitment_salt').execute();
  await db.schema.alterTable('submission').dropColumn('imported').execute();
  await db.schema.dropTable('publication_event').execute();
  if (!sqlite) await sql`drop function if exists publication_event_append_only()`.execute(db);
  await db.schema.dropTable('publication_log_head').execute();
}
