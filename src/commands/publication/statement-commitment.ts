import { randomBytes } from 'node:crypto';
import { COMMITMENT_SALT_BYTES, statementCommitment } from '../../domain/log-entry.js';
import { ORGANIZATIONS } from '../../domain/organizations.js';
import type { DeclarantTable, SubmissionTable } from '../../storage/schema.js';

/** The stored fields a statement's commitment covers: its row (as published) and its declarants in order. */
export interface CommittedRows {
  submission: Pick<SubmissionTable, 'registration_number' | 'published_at' | 'language' | 'title' | 'text'>;
  declarants: readonly Pick<DeclarantTable, 'display_name' | 'name_kind' | 'party' | 'youth_league' | 'young_pioneers' | 'region' | 'occupation'>[];
}

/**
 * The commitment (docs/log.md, "Commitments") to a statement as the statement API presents it
 * (presentStatement in src/web/presenters/statement-presenter.ts: the same fields, mapped the
 * same way — a test holds the two equal through the API).
 */
export function commitmentOf(salt: Uint8Array, rows: CommittedRows): Uint8Array {
  const { submission } = rows;
  return statementCommitment(salt, {
    registrationNumber: submission.registration_number!,
    publishedOn: submission.published_at!.slice(0, 10),
    language: submission.language,
    title: submission.title,
    text: submission.text,
    declarants: rows.declarants.map((d) => ({
      displayName: d.display_name,
      nameKind: d.name_kind === 'real' ? 'real' : 'pseudonym',
      organizations: ORGANIZATIONS.filter((o) => d[o] === 1),
      region: d.region,
      occupation: d.occupation,
    })),
  });
}

/**
 * `count` new salts of 32 random bytes each, from one draw of the CSPRNG (a bulk approval or a
 * demo batch asks for thousands at once).
 */
export function newCommitmentSalts(count: number): Buffer[] {
  const bytes = randomBytes(COMMITMENT_SALT_BYTES * count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * COMMITMENT_SALT_BYTES, (i + 1) * COMMITMENT_SALT_BYTES));
}
