/** How long each kind of data is kept, in days (settings RETENTION_*_DAYS). */
export interface RetentionPolicy {
  /** Rejected and duplicate submissions, counted from the status change (`updated_at`). */
  rejectedDays: number;
  /** Private contact ciphertext, counted from receipt (`received_at`). */
  contactDays: number;
  /** Answered messages; there are no conversations yet, so nothing is stored to expire. */
  messagesDays: number;
  /** A retracted statement's content (text, title, names, contact…), counted from the retraction (`updated_at`). */
  retractedDays: number;
  /** A published statement's redacted originals (`submission_edit`), counted from publication (`published_at`). */
  editsDays: number;
}

/** The instants before which each kind of data has expired (ISO-8601 UTC, as stored). */
export interface RetentionCutoffs {
  /** A rejected or duplicate submission whose status changed before this is deleted. */
  rejectedBefore: string;
  /** Contact ciphertext of a submission received before this is erased. */
  contactBefore: string;
  /** An answered message before this is deleted (once conversations exist). */
  messagesBefore: string;
  /** A statement retracted before this has its content erased. */
  retractedBefore: string;
  /** A statement published before this loses the originals its edits replaced. */
  editsBefore: string;
}

const DAY_MS = 86_400_000;

/**
 * The cutoffs of a policy at `now`. A record is expired when its reference time is strictly
 * earlier than `now − days`: something changed exactly 30 days ago is kept until the next run.
 * Stored times are ISO strings of one format (UTC, `Z`), so they compare as text.
 */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return {
    rejectedBefore: before(policy.rejectedDays),
    contactBefore: before(policy.contactDays),
    messagesBefore: before(policy.messagesDays),
    retractedBefore: before(policy.retractedDays),
    editsBefore: before(policy.editsDays),
  };
}

/** The statuses the retention job deletes after `rejectedDays`. Never `published` or `retracted`. */
export const PURGED_STATUSES = ['rejected', 'duplicate'] as const;
