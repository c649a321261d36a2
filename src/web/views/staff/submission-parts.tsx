import type { QueueItem } from '../../../commands/review-queue.js';
import { CHANNEL_NAMES, type Channel } from '../../../domain/channels.js';
import type { Locale } from '../../../domain/locales.js';
import { OCCUPATIONS } from '../../../domain/occupations.js';
import { ORGANIZATION_NAMES, type Organization } from '../../../domain/organizations.js';
import { regionName } from '../../../domain/regions.js';
import type { Status } from '../../../domain/statuses.js';
import { STAFF_TEXT, type StaffText } from '../../i18n/staff-text.js';

/** The console's word for each status (shorter than the declarant's). */
export const STATUS_TEXT: Record<Status, keyof StaffText> = {
  pending: 'statusNamePending',
  published: 'statusNamePublished',
  rejected: 'statusNameRejected',
  duplicate: 'statusNameDuplicate',
  retracted: 'statusNameRetracted',
};

/** A status in words, or the code itself if it is new to this view. */
export function statusName(status: string, locale: Locale): string {
  const key = STATUS_TEXT[status as Status];
  return key ? STAFF_TEXT[locale][key] : status;
}

/** A channel in words, or its code if it is new to this view. */
export function channelName(channel: string, locale: Locale): string {
  return CHANNEL_NAMES[channel as Channel]?.[locale] ?? channel;
}

/** Submission ids are long: the first eight characters tell them apart on a page. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function submissionHref(id: string): string {
  return `/staff/submissions/${encodeURIComponent(id)}`;
}

/** A time as UTC, to the minute: the same for every editor wherever they are. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The people of a submission: name (and its kind), organisations, region, occupation. */
export function DeclarantList({ item, locale }: { item: QueueItem; locale: Locale }) {
  const t = STAFF_TEXT[locale];
  return (
    <ul class="declarants">
      {item.declarants.map((d) => (
        <li>
          <strong class="display-name">{d.displayName}</strong> <span class="tag">{d.nameKind === 'real' ? t.kindRealName : t.kindPseudonym}</span>
          {' · '}
          {d.organizations.map((o) => ORGANIZATION_NAMES[o as Organization]?.[locale] ?? o).join(t.listSeparator)}
          {' · '}
          {regionName(d.region, locale)}
          {d.occupation && ` · ${OCCUPATIONS.find(([code]) => code === d.occupation)?.[1][locale] ?? d.occupation}`}
        </li>
      ))}
    </ul>
  );
}

/** Title and text as the declarant wrote them (or as edited), line breaks kept. */
export function StatementText({ item, locale }: { item: QueueItem; locale: Locale }) {
  const t = STAFF_TEXT[locale];
  if (!item.title && !item.text) return <p class="hint">{t.noStatementText}</p>;
  return (
    <div class="statement">
      {item.title && <p class="statement-title">{item.title}</p>}
      {item.text && <div class="statement-text">{item.text}</div>}
    </div>
  );
}

/** Badges for what an editor should notice at a glance. */
export function Flags({ item, locale }: { item: QueueItem; locale: Locale }) {
  const t = STAFF_TEXT[locale];
  return (
    <p class="flags">
      <span class="tag">{channelName(item.channel, locale)}</span> <span class="tag">{item.language}</span>{' '}
      {item.proofOfWork ? <span class="tag">{t.flagProofOfWork}</span> : <span class="tag warn">{t.flagNoProofOfWork}</span>}{' '}
      {item.flagged && <span class="tag warn">{t.flagFlagged}</span>} {item.consent && <span class="tag">{t.flagConsent}</span>}{' '}
      {item.hasContact && <span class="tag">{t.flagContact}</span>} {item.featured && <span class="tag">{t.flagFeatured}</span>}
    </p>
  );
}

/**
 * Duplicate hints, each linking to the other submission; while the background indexer has not
 * reached the submission yet, a line saying that its text has not been compared yet.
 */
export function HintList({ item, locale }: { item: QueueItem; locale: Locale }) {
  const t = STAFF_TEXT[locale];
  const { pending, sameName, nearText, volunteerBurst } = item.hints;
  if (!pending && sameName.length === 0 && nearText.length === 0 && volunteerBurst === null) return null;
  return (
    <div class="hints">
      <p class="hints-title">{t.hintsTitle}</p>
      {pending && <p class="hints-pending" data-hints-pending="">{t.hintsPending}</p>}
      <ul>
        {sameName.map((h) => (
          <li data-hint="same-name">
            {t.hintSameName} <a href={submissionHref(h.id)}>{shortId(h.id)}</a> ({statusName(h.status, locale)})
          </li>
        ))}
        {nearText.map((h) => (
          <li data-hint="near-text">
            {t.hintNearText.replace('{percent}', String(Math.round(h.similarity * 100)))} <a href={submissionHref(h.id)}>{shortId(h.id)}</a> (
            {statusName(h.status, locale)})
          </li>
        ))}
        {volunteerBurst !== null && <li data-hint="burst">{t.hintBurst.replace('{n}', String(volunteerBurst))}</li>}
      </ul>
    </div>
  );
}
