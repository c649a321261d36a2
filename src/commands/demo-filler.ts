import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { hashPassword } from '../crypto/password-hasher.js';
import { newTotpSecret } from '../crypto/totp.js';
import { countMoves, type CountMove } from '../domain/count-moves.js';
import { demoStatements, type DemoStatement } from '../domain/demo-statements.js';
import { publishedEvent, type NewPublicationEvent } from '../domain/publication-event.js';
import { hashReceipt, RECEIPT_ALPHABET } from '../domain/receipt.js';
import { searchTokens } from '../domain/search-tokens.js';
import { appendAudit } from '../storage/audit.repository.js';
import { applyCountMoves } from '../storage/count.repository.js';
import { takeCounterValues } from '../storage/counter.repository.js';
import type { Database } from '../storage/database.js';
import { insertDemoRows, useBulkWriteCache } from '../storage/demo.repository.js';
import { appendPublicationEvents } from '../storage/publication/publication-log.repository.js';
import type { DeclarantTable, Schema, SubmissionTable } from '../storage/schema.js';
import { indexStatements, type SearchEntry } from '../storage/search.repository.js';
import { findStaffUserByName, insertStaffUser } from '../storage/staff.repository.js';
import { countSubmissions } from '../storage/submission.repository.js';
import { commitmentOf, newCommitmentSalts } from './publication/statement-commitment.js';
import { declarantRows } from './submission-record.js';

/** Statements written per transaction. */
export const DEMO_BATCH_STATEMENTS = 5000;

/**
 * The disabled accounts demo statements are attributed to: an editor who "approved" them
 * (reviewed_by) and a volunteer who "recorded" the ones that came by phone, letter… (entered_by,
 * with consent), as real published statements are. Disabled, with a random password nobody knows.
 */
export const DEMO_ACCOUNTS = { editor: 'demo-editor', volunteer: 'demo-volunteer' } as const;

export interface DemoFillOptions {
  people: number;
  seed: number;
  /** Add to a database that already holds submissions (otherwise refused). */
  append: boolean;
  /** The last publication day is today (default: the current time). */
  now?: Date;
  /** Called after each transaction with the persons written so far. */
  onProgress?: (persons: number, total: number) => void;
}

export interface DemoFillResult {
  persons: number;
  statements: number;
  firstNumber: number | null;
  lastNumber: number | null;
}

/** The database already holds submissions and `append` was not given: nothing was written. */
export class DemoRefused extends Error {
  constructor(readonly submissions: number) {
    super(`the database already holds ${submissions} submission${submissions === 1 ? '' : 's'}`);
    this.name = 'DemoRefused';
  }
}

/**
 * Fills the database with synthetic published statements (demo-statements.ts), with their
 * declarants, registration numbers, counts, search index and publication events, `DEMO_BATCH_STATEMENTS` per
 * transaction. Refuses a database that holds any submission unless `append`. An audit entry
 * records the run, so the audit log says where these statements came from.
 */
export async function fillDemo(database: Database, options: DemoFillOptions): Promise<DemoFillResult> {
  const existing = await countSubmissions(database.db);
  if (existing > 0 && !options.append) throw new DemoRefused(existing);
  const now = options.now ?? new Date();
  await useBulkWriteCache(database.db, database.dialect);
  const accounts = await database.db.transaction().execute(async (trx) => {
    const editor = await demoAccount(trx, DEMO_ACCOUNTS.editor, 'editor');
    const volunteer = await demoAccount(trx, DEMO_ACCOUNTS.volunteer, 'volunteer');
    await appendAudit(trx, { actor: 'cli', action: 'demo.fill', details: { people: options.people, seed: options.seed, append: options.append } });
    return { editor, volunteer };
  });

  const result: DemoFillResult = { persons: 0, statements: 0, firstNumber: null, lastNumber: null };
  let batch: DemoStatement[] = [];
  const flush = async () => {
    const first = await database.db.transaction().execute((trx) => writeBatch(trx, database, batch, accounts));
    result.firstNumber ??= first;
    result.lastNumber = first + batch.length - 1;
    result.statements += batch.length;
    for (const statement of batch) result.persons += statement.declarants.length;
    batch = [];
    options.onProgress?.(result.persons, options.people);
  };
  for (const statement of demoStatements({ people: options.people, seed: options.seed, now })) {
    batch.push(statement);
    if (batch.length === DEMO_BATCH_STATEMENTS) await flush();
  }
  if (batch.length > 0) await flush();
  return result;
}

/** Writes one batch in the caller's transaction; returns its first registration number. */
async function writeBatch(
  trx: Transaction<Schema>,
  database: Database,
  batch: readonly DemoStatement[],
  accounts: { editor: string; volunteer: string },
): Promise<number> {
  const first = await takeCounterValues(trx, 'registration_number', batch.length);
  const submissions: SubmissionTable[] = [];
  const declarants: DeclarantTable[] = [];
  const moves: CountMove[] = [];
  const search: SearchEntry[] = [];
  const events: NewPublicationEvent[] = [];
  const receipts = new ReceiptSource();
  const salts = newCommitmentSalts(batch.length);
  for (const [i, statement] of batch.entries()) {
    const registrationNumber = first + i;
    const id = randomUUID();
    const assisted = statement.channel !== 'web';
    submissions.push({
      id,
      receipt_hash: hashReceipt(receipts.next()),
      language: statement.language,
      title: statement.title,
      text: statement.text,
      contact_ciphertext: null,
      status: 'published',
      channel: statement.channel,
      proof_of_work: assisted ? 0 : 1,
      flagged: 0,
      received_at: statement.receivedAt,
      updated_at: statement.updatedAt,
      registration_number: registrationNumber,
      published_at: statement.publishedAt,
      reviewed_by: accounts.editor,
      reject_reason: null,
      duplicate_of: null,
      featured: statement.featured ? 1 : 0,
      consent: assisted ? 1 : 0,
      entered_by: assisted ? accounts.volunteer : null,
      text_indexed: 1,
      commitment_salt: salts[i]!.toString('base64'),
    });
    const people = declarantRows(id, statement.declarants, registrationNumber);
    declarants.push(...people);
    const commitment = commitmentOf(salts[i]!, { submission: submissions[submissions.length - 1]!, declarants: people });
    events.push(publishedEvent({ channel: statement.channel, featured: statement.featured ? 1 : 0, declarants: people }, registrationNumber, statement.day, commitment));
    const counted = { channel: statement.channel, people: statement.declarants };
    moves.push(...countMoves('received', statement.receivedAt.slice(0, 10), counted), ...countMoves('published', statement.day, counted));
    search.push({ registrationNumber, tokens: searchTokens([statement.title, statement.text, ...statement.declarants.map((d) => d.displayName)]) });
  }
  await insertDemoRows(trx, submissions, declarants);
  await applyCountMoves(trx, moves);
  await indexStatements(trx, database.dialect, search);
  // One `published` event each, like an approval: the log holds the demo statements too.
  await appendPublicationEvents(trx, events);
  return first;
}

/** The id of a demo account, created disabled on first use. */
async function demoAccount(trx: Transaction<Schema>, name: string, role: 'editor' | 'volunteer'): Promise<string> {
  const found = await findStaffUserByName(trx, name);
  if (found) return found.id;
  const id = randomUUID();
  await insertStaffUser(trx, {
    id,
    name,
    role,
    // A password nobody is told, on an account that is disabled anyway.
    password_hash: await hashPassword(randomBytes(32).toString('base64'), 14),
    totp_secret: role === 'editor' ? newTotpSecret() : null,
    totp_last_step: null,
    disabled: 1,
    created_at: new Date().toISOString(),
  });
  await appendAudit(trx, { actor: 'cli', action: 'user.create', target: id, details: { name, role, demo: true } });
  return id;
}

/**
 * Canonical receipts (20 symbols of RECEIPT_ALPHABET) from the CSPRNG, drawn from a buffer of
 * random bytes: only their hash is stored, and nobody is ever shown them.
 */
class ReceiptSource {
  private bytes = randomBytes(0);
  private at = 0;

  next(): string {
    let symbols = '';
    while (symbols.length < 20) {
      if (this.at >= this.bytes.length) {
        this.bytes = randomBytes(8192);
        this.at = 0;
      }
      const byte = this.bytes[this.at++]!;
      // 240 = 8 × 30: bytes above it are dropped, so every symbol is equally likely.
      if (byte < 240) symbols += RECEIPT_ALPHABET[byte % RECEIPT_ALPHABET.length];
    }
    return symbols;
  }
}
