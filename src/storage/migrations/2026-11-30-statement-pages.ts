import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// Single statement pages, rendered once and stored gzipped per locale, so that serving one is a
// look-up by one integer: page_key = registration_number × 4 + locale number (zh-hans 0,
// zh-hant 1, en 2; 3 is unused). On SQLite the key is the rowid (INTEGER PRIMARY KEY), so the
// look-up is one B-tree descent.
//
// A stored page must never outlive what it shows. Triggers delete every page of a statement in
// the same transaction as any change to its submission row, to a declarant row that is or was
// published, or to one of its translations. Intake writes pending rows (no registration number,
// no published number): it pays a WHEN check and nothing more, and submission inserts have no
// trigger at all.

/** The range of page keys of the statement numbered `n` (an SQL expression). */
const keysOf = (n: string) => `page_key between cast(${n} as bigint) * 4 and cast(${n} as bigint) * 4 + 3`;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('statement_page')
    .addColumn('page_key', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('registration_number', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('build', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('body', sqlite ? 'blob' : 'bytea', (c) => c.notNull())
    .addCheckConstraint('statement_page_locale', sql`locale in ('zh-hans', 'zh-hant', 'en')`)
    // The key, the number and the locale can never disagree: a page is found only under its own key.
    .addCheckConstraint(
      'statement_page_key',
      sql`page_key = cast(registration_number as bigint) * 4 + case locale when 'zh-hans' then 0 when 'zh-hant' then 1 when 'en' then 2 end`,
    )
    .execute();
  // Whether a numbered statement is published, from the index alone: the stored-page look-up
  // checks it on every answer without reading the statement's row. Partial, so intake (no number
  // yet) pays nothing for it.
  await db.schema
    .createIndex('submission_number_status')
    .on('submission')
    .columns(['registration_number', 'status'])
    .where(sql.ref('registration_number'), 'is not', null)
    .execute();
  await createStatementPageTriggers(db);
}

/**
 * The triggers that deleted a statement's stored pages on every change to it; migration
 * 2026-12-05-publication-log replaced them with the publication log (and its down creates them again).
 */
export async function createStatementPageTriggers(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await sqliteTriggers(db);
  else await postgresTriggers(db);
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const triggers = [
    // A submission with a number: any change (retraction, featuring, an erased contact…) or deletion.
    `create trigger statement_page_submission_update after update on submission
       when old.registration_number is not null or new.registration_number is not null
       begin
         delete from statement_page where ${keysOf('old.registration_number')};
         delete from statement_page where ${keysOf('new.registration_number')};
       end`,
    `create trigger statement_page_submission_delete after delete on submission
       when old.registration_number is not null
       begin delete from statement_page where ${keysOf('old.registration_number')}; end`,
    // Declarants: their names, organisations and regions are on the page.
    `create trigger statement_page_declarant_insert after insert on declarant
       when new.published_number is not null
       begin delete from statement_page where ${keysOf('new.published_number')}; end`,
    `create trigger statement_page_declarant_update after update on declarant
       when old.published_number is not null or new.published_number is not null
       begin
         delete from statement_page where ${keysOf('old.published_number')};
         delete from statement_page where ${keysOf('new.published_number')};
       end`,
    `create trigger statement_page_declarant_delete after delete on declarant
       when old.published_number is not null
       begin delete from statement_page where ${keysOf('old.published_number')}; end`,
    // Translations: the number is the submission's (null while pending: nothing is deleted).
    `create trigger statement_page_translation_insert after insert on statement_translation
       begin delete from statement_page where ${keysOf('(select registration_number from submission where id = new.submission_id)')}; end`,
    `create trigger statement_page_translation_update after update on statement_translation
       begin
         delete from statement_page where ${keysOf('(select registration_number from submission where id = old.submission_id)')};
         delete from statement_page where ${keysOf('(select registration_number from submission where id = new.submission_id)')};
       end`,
    `create trigger statement_page_translation_delete after delete on statement_translation
       begin delete from statement_page where ${keysOf('(select registration_number from submission where id = old.submission_id)')}; end`,
  ];
  for (const trigger of triggers) await sql.raw(trigger).execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  const statements = [
    `create function statement_page_forget(n bigint) returns void language plpgsql as $$
     begin
       delete from statement_page where ${keysOf('n')};
     end $$`,
    // In an INSERT trigger OLD is null, in a DELETE trigger NEW is (PostgreSQL 11 and later): the
    // functions below let the null side match nothing instead of testing TG_OP.
    `create function statement_page_forget_submission() returns trigger language plpgsql as $$
     begin
       if old.registration_number is not null then
         perform statement_page_forget(old.registration_number);
       end if;
       if tg_op = 'UPDATE' then
         if new.registration_number is distinct from old.registration_number and new.registration_number is not null then
           perform statement_page_forget(new.registration_number);
         end if;
       end if;
       return null;
     end $$`,
    // The declarant and translation triggers lock the statement's submission row first (an
    // UPDATE of the row itself holds that lock already): whoever stores pages holds it FOR SHARE
    // while it reads and renders, so a change either waits for the stored pages and then deletes
    // them, or comes first and is what gets rendered — never a stale page stored after a change.
    `create function statement_page_forget_declarant() returns trigger language plpgsql as $$
     begin
       perform 1 from submission where id in (old.submission_id, new.submission_id) for no key update;
       if old.published_number is not null then
         perform statement_page_forget(old.published_number);
       end if;
       if new.published_number is distinct from old.published_number and new.published_number is not null then
         perform statement_page_forget(new.published_number);
       end if;
       return null;
     end $$`,
    `create function statement_page_forget_translation() returns trigger language plpgsql as $$
     begin
       perform 1 from submission where id in (old.submission_id, new.submission_id) and registration_number is not null for no key update;
       perform statement_page_forget(registration_number) from submission
         where id in (old.submission_id, new.submission_id) and registration_number is not null;
       return null;
     end $$`,
    `create trigger statement_page_submission_update after update on submission for each row
       when (old.registration_number is not null or new.registration_number is not null)
       execute function statement_page_forget_submission()`,
    `create trigger statement_page_submission_delete after delete on submission for each row
       when (old.registration_number is not null)
       execute function statement_page_forget_submission()`,
    `create trigger statement_page_declarant_insert after insert on declarant for each row
       when (new.published_number is not null)
       execute function statement_page_forget_declarant()`,
    `create trigger statement_page_declarant_update after update on declarant for each row
       when (old.published_number is not null or new.published_number is not null)
       execute function statement_page_forget_declarant()`,
    `create trigger statement_page_declarant_delete after delete on declarant for each row
       when (old.published_number is not null)
       execute function statement_page_forget_declarant()`,
    `create trigger statement_page_translation_change after insert or update or delete on statement_translation for each row
       execute function statement_page_forget_translation()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const SQLITE_TRIGGERS = [
  'statement_page_submission_update',
  'statement_page_submission_delete',
  'statement_page_declarant_insert',
  'statement_page_declarant_update',
  'statement_page_declarant_delete',
  'statement_page_translation_insert',
  'statement_page_translation_update',
  'statement_page_translation_delete',
];

const POSTGRES_TRIGGERS = [
  ['statement_page_submission_update', 'submission'],
  ['statement_page_submission_delete', 'submission'],
  ['statement_page_declarant_insert', 'declarant'],
  ['statement_page_declarant_update', 'declarant'],
  ['statement_page_declarant_delete', 'declarant'],
  ['statement_page_translation_change', 'statement_translation'],
] as const;

export async function down(db: Kysely<any>): Promise<void> {
  await dropStatementPageTriggers(db);
  await db.schema.dropIndex('submission_number_status').execute();
  await db.schema.dropTable('statement_page').execute();
}

/** Drops what `createStatementPageTriggers` created (if it is there). */
export async function dropStatementPageTriggers(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const name of SQLITE_TRIGGERS) await sql.raw(`drop trigger if exists ${name}`).execute(db);
  } else {
    for (const [name, table] of POSTGRES_TRIGGERS) await sql.raw(`drop trigger if exists ${name} on ${table}`).execute(db);
    for (const name of ['statement_page_forget_translation()', 'statement_page_forget_declarant()', 'statement_page_forget_submission()', 'statement_page_forget(bigint)']) {
      await sql.raw(`drop function if exists ${name}`).execute(db);
    }
  }
}
