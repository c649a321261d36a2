import type { QueueItem } from '../../../commands/review-queue.js';
import type { FieldError } from '../../../domain/service-error.js';
import { mayReview } from '../../../domain/staff-access.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { ApproveForm, RejectForm } from './review-forms.js';
import { StaffErrorSummary } from './staff-errors.js';
import { Notice, StaffLayout } from './staff-layout.js';
import { DuplicateForm, EditForm, FeatureForm, type EditValues } from './submission-forms.js';
import { channelName, DeclarantList, Flags, HintList, statusName, StatementText, utcMinute } from './submission-parts.js';

export interface SubmissionPageProps {
  viewer: ConsoleViewer;
  item: QueueItem;
  staffNames: ReadonlyMap<string, string>;
  notice: string | null;
  errors: FieldError[];
  /** What the editor typed into the edit form, kept when it comes back with an error. */
  editValues?: EditValues | undefined;
  duplicateOf?: string | undefined;
}

/**
 * One submission in full, with its duplicate hints. Reviewers also get the actions its status
 * allows; a volunteer (who may only open their own entries) reads it only.
 */
export function SubmissionPage({ viewer, item, staffNames, notice, errors, editValues, duplicateOf }: SubmissionPageProps) {
  const t = STAFF_TEXT[viewer.locale];
  const locale = viewer.locale;
  const reviewer = mayReview(viewer.member.role);
  const pending = item.status === 'pending';
  const to = { kind: 'detail' } as const;
  return (
    <StaffLayout locale={locale} title={t.submissionTitle} viewer={viewer}>
      <h1>
        {t.submissionTitle} <code class="submission-id">{item.id}</code>
      </h1>
      <Notice text={notice} />
      <StaffErrorSummary errors={errors} locale={locale} />
      <dl class="status">
        <dt>{t.statusLabel}</dt>
        <dd data-status={item.status}>{statusName(item.status, locale)}</dd>
        {item.registrationNumber !== null && (
          <>
            <dt>{t.registrationNumberLabel}</dt>
            <dd class="registration-number">{item.registrationNumber}</dd>
          </>
        )}
        <dt>{t.receivedLabel}</dt>
        <dd>{utcMinute(item.receivedAt)}</dd>
        <dt>{t.channelLabel}</dt>
        <dd>{channelName(item.channel, locale)}</dd>
        {item.enteredBy && (
          <>
            <dt>{t.enteredByLabel}</dt>
            <dd>{staffNames.get(item.enteredBy) ?? item.enteredBy}</dd>
          </>
        )}
      </dl>
      <Flags item={item} locale={locale} />
      <h2>{t.peopleHeading}</h2>
      <DeclarantList item={item} locale={locale} />
      <h2>{t.statementHeading}</h2>
      <StatementText item={item} locale={locale} />
      <HintList item={item} locale={locale} />
      {reviewer && pending && (
        <section class="review-actions" aria-label={t.reviewHeading}>
          <h2>{t.reviewHeading}</h2>
          <div class="item-actions">
            <ApproveForm viewer={viewer} id={item.id} to={to} />
            <RejectForm viewer={viewer} id={item.id} to={to} />
          </div>
          <EditForm viewer={viewer} item={item} errors={errors} values={editValues} />
          <DuplicateForm viewer={viewer} item={item} errors={errors} value={duplicateOf} />
        </section>
      )}
      {reviewer && (pending || item.status === 'published') && <FeatureForm viewer={viewer} item={item} />}
      <p>
        <a href={reviewer ? '/staff/queue' : '/staff/entries'}>{reviewer ? t.backToQueue : t.backToEntries}</a>
      </p>
    </StaffLayout>
  );
}
