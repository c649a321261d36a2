import type { Locale } from '../../../domain/locales.js';
import { REJECT_REASON_NAMES, REJECT_REASONS } from '../../../domain/reject-reasons.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { queueSearch, type QueueQuery } from '../../routes/staff/queue-query.js';
import { CsrfField } from './staff-layout.js';
import { submissionHref } from './submission-parts.js';

/** Where a review action returns to: the queue page it came from, or the submission's page. */
export type ReturnTo = { kind: 'queue'; query: QueueQuery } | { kind: 'detail' };

/** The hidden fields that say where to go back to; the server rebuilds the address itself. */
export function ReturnFields({ to }: { to: ReturnTo }) {
  if (to.kind === 'detail') return <input type="hidden" name="back" value="detail" />;
  return (
    <>
      <input type="hidden" name="back" value="queue" />
      <input type="hidden" name="q" value={queueSearch(to.query).slice(1)} />
    </>
  );
}

interface ActionProps {
  viewer: ConsoleViewer;
  id: string;
  to: ReturnTo;
}

/** Approve one submission: it is published and gets its registration number. */
export function ApproveForm({ viewer, id, to }: ActionProps) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <form method="post" action={`${submissionHref(id)}/approve`} class="approve">
      <CsrfField viewer={viewer} />
      <ReturnFields to={to} />
      <button type="submit" class="approve-button">
        {t.approveButton}
      </button>
    </form>
  );
}

/** Reject one submission with a reason from the fixed list. */
export function RejectForm({ viewer, id, to }: ActionProps) {
  const t = STAFF_TEXT[viewer.locale];
  const selectId = `reason-${id}`;
  return (
    <form method="post" action={`${submissionHref(id)}/reject`} class="reject">
      <CsrfField viewer={viewer} />
      <ReturnFields to={to} />
      <label for={selectId} class="inline">
        {t.reasonLabel}
      </label>{' '}
      <ReasonSelect locale={viewer.locale} id={selectId} />{' '}
      <button type="submit" class="danger">
        {t.rejectButton}
      </button>
    </form>
  );
}

/** The fixed list of reasons; the first option is empty, so none is chosen by accident. */
export function ReasonSelect({ locale, id, required = true }: { locale: Locale; id: string; required?: boolean }) {
  const t = STAFF_TEXT[locale];
  return (
    <select id={id} name="reason" class="reject-reason" required={required}>
      <option value="">{t.reasonChoose}</option>
      {REJECT_REASONS.map((reason) => (
        <option value={reason}>{REJECT_REASON_NAMES[reason][locale]}</option>
      ))}
    </select>
  );
}
