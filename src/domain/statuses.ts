/** Where a submission is in its life. Only `published` statements are ever shown to readers. */
export const STATUSES = ['pending', 'published', 'rejected', 'duplicate', 'retracted'] as const;

export type Status = (typeof STATUSES)[number];

/** A declarant can retract while the statement is still pending or already published. */
export function canRetract(status: Status): boolean {
  return status === 'pending' || status === 'published';
}
