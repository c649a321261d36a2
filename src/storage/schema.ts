/** Row shape of `submission`: one statement as received. Timestamps are ISO-8601 UTC strings. */
export interface SubmissionTable {
  id: string;
  receipt_hash: string;
  language: string;
  title: string | null;
  text: string | null;
  /** age-encrypted, ASCII-armoured; the server cannot read it. */
  contact_ciphertext: string | null;
  status: string;
  channel: string;
  proof_of_work: number;
  flagged: number;
  received_at: string;
  updated_at: string;
  /** Assigned at publication: monotonic, unique, never reused. */
  registration_number: number | null;
  published_at: string | null;
  reviewed_by: string | null;
  reject_reason: string | null;
  duplicate_of: string | null;
  featured: number;
  /** 1 when a volunteer recorded that the person agreed to withdraw and chose the name. */
  consent: number;
  /** The volunteer (staff user id) who recorded it; null for self-submitted statements. */
  entered_by: string | null;
  /** 1 once indexed for duplicate hints: text bands and declarants' name keys (by the background indexer, hint-indexer.ts, not at intake). */
  text_indexed: number;
  /**
   * 1 once retention erased a retracted statement's content (README "Retention"); 0 by default,
   * so writers leave it out.
   */
  content_erased?: number;
  /** 1 when it came in a volunteer's CSV import (`rcenter import`); 0 by default. */
  imported?: number;
  /**
   * Base64 of the 32 random bytes of the statement's commitment (docs/log.md, "Commitments"):
   * drawn at publication, served with the statement, erased (null) when it is retracted.
   */
  commitment_salt?: string | null;
}

/** Row shape of `declarant`: one person of a submission, in the order given. */
export interface DeclarantTable {
  submission_id: string;
  position: number;
  display_name: string;
  name_kind: string;
  party: number;
  youth_league: number;
  young_pioneers: number;
  region: string;
  occupation: string | null;
  /** The display name normalised for duplicate hints (NFKC, case-folded, no spaces); filled by the background indexer. */
  name_key: string | null;
  /** The statement's registration number while it is published (null before and after): category indexes. */
  published_number: number | null;
}

export interface StaffUserTable {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  totp_secret: string | null;
  /** The last TOTP time step accepted: a code is usable once. */
  totp_last_step: number | null;
  disabled: number;
  created_at: string;
}

export interface StaffSessionTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}

export interface ApiTokenTable {
  id: string;
  token_hash: string;
  user_id: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface SubmissionTextBandTable {
  submission_id: string;
  band: string;
}

export interface SubmissionEditTable {
  submission_id: string;
  edited_at: string;
  editor_id: string;
  title_before: string | null;
  text_before: string | null;
}

export interface DailyCountTable {
  day: string;
  metric: string;
  dimension: string;
  value: string;
  n: number;
}

/**
 * Persons per UTC day, event (`persons_*` metric) and open-data row (`region|organization|channel`):
 * the open data's cross product, which `daily_count` keeps dimension by dimension only. Moved in
 * the same transaction as `daily_count` (count moves of dimension `cell`); `rcenter recount`
 * checks it too. A person counts once in each organisation they renounced.
 */
export interface DailyCellTable {
  day: string;
  metric: string;
  value: string;
  n: number;
}

/**
 * What statements deleted by retention had contributed to `daily_count`, in its shape: the
 * rollups keep history, so a recount adds these cells to what it finds in the base tables.
 */
export type PurgedCountTable = DailyCountTable;

/** A translator's version of a published statement in one locale, shown marked as a translation. */
export interface StatementTranslationTable {
  submission_id: string;
  locale: string;
  title: string | null;
  text: string | null;
  translator_id: string;
  updated_at: string;
}

/**
 * A published statement's page, rendered in one locale and gzipped; served only while `seq` is
 * still the statement's latest publication event (migration 2026-12-05-publication-log). Read and
 * written only through publication/statement-page.repository.ts.
 */
export interface StatementPageTable {
  /** registration_number × 4 + locale number (zh-hans 0, zh-hant 1, en 2): the rowid on SQLite. */
  page_key: number;
  registration_number: number;
  locale: string;
  /** The renderer version that made the page; pages of another build are never served. */
  build: string;
  etag: string;
  /** Gzipped HTML. */
  body: Buffer;
  /** The statement's latest publication event when the page was rendered (0: before the log). */
  seq: number;
}

/**
 * One event of the publication log: one change of what the public sees, numbered from 1 without
 * gaps, append-only (src/domain/publication-event.ts names the kinds and payloads).
 */
export interface PublicationEventTable {
  seq: number;
  kind: string;
  registration_number: number;
  /** The UTC day of the event, YYYY-MM-DD. */
  day: string;
  /** JSON: the kind's payload. Never a name, text, submission id, receipt or exact time. */
  payload: string;
}

/** The one row (`id` 1) holding the last `seq` given out: locked by every append, polled by readers. */
export interface PublicationLogHeadTable {
  id: number;
  seq: number;
}

/** A stored hash of the transparency log's tree, by its storage index (tlog storedHashIndex). */
/** A full entry bundle of the transparency log, as served (tile/entries/<tile_index>). */
export interface LogEntryBundleTable {
  tile_index: number;
  data: Uint8Array;
}

export interface LogHashTable {
  idx: number;
  hash: Uint8Array;
}

/** A signed checkpoint of the transparency log: its tree size, root hash and signed note. */
export interface LogCheckpointTable {
  size: number;
  root_hash: Uint8Array;
  /** The signed note, as served at /log/checkpoint (before any witness cosignature). */
  note: string;
  /** UTC day it was signed, YYYY-MM-DD. */
  created_on: string;
}

/** The one row (`id` 1): how many events the log holds, and the count those entries add up to. */
export interface LogStateTable {
  id: number;
  size: number;
  /** JSON of the tally of the first `size` entries (log-tally.ts), without the statements. */
  tally: string;
}

// `statement_search` is an FTS5 table on SQLite and a tsvector table on PostgreSQL, so it is
// queried only through search.repository.ts with dialect-specific SQL, not through this schema.

export interface Schema {
  submission: SubmissionTable;
  declarant: DeclarantTable;
  staff_user: StaffUserTable;
  staff_session: StaffSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  counter: CounterTable;
  submission_text_band: SubmissionTextBandTable;
  submission_edit: SubmissionEditTable;
  daily_count: DailyCountTable;
  daily_cell: DailyCellTable;
  statement_translation: StatementTranslationTable;
  purged_count: PurgedCountTable;
  statement_page: StatementPageTable;
  publication_event: PublicationEventTable;
  publication_log_head: PublicationLogHeadTable;
  log_hash: LogHashTable;
  log_entry_bundle: LogEntryBundleTable;
  log_checkpoint: LogCheckpointTable;
  log_state: LogStateTable;
  witness_cosignature: WitnessCosignatureTable;
}

/** The latest cosignature of each witness (by its verifier key): size and root hash (base64) cosigned, and the signature line. */
export interface WitnessCosignatureTable {
  witness: string;
  size: number;
  root_hash: string;
  signature: string;
}
