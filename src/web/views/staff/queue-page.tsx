import type { QueueItem } from '../../../commands/review-queue.js';
import { CHANNELS } from '../../../domain/channels.js';
import { LOCALES, type Locale } from '../../../domain/locales.js';
import type { FieldError } from '../../../domain/service-error.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { queueHref, queueSearch, type QueueQuery } from '../../routes/staff/queue-query.js';
import { QueueItemView } from './queue-item.js';
import { ReasonSelect } from './review-forms.js';
import { StaffErrorSummary } from './staff-errors.js';
import { CsrfField, Notice, StaffLayout } from './staff-layout.js';
import { channelName } from './submission-parts.js';

export interface QueuePageProps {
  viewer: ConsoleViewer;
  query: QueueQuery;
  items: QueueItem[];
  pageSize: number;
  /** Staff ids to names, to say who entered an assisted submission. */
  staffNames: ReadonlyMap<string, string>;
  notice: string | null;
  errors: FieldError[];
}

/**
 * The review queue, oldest first, a page at a time. Each item has its own approve and reject
 * forms; the checkboxes belong to the bulk form (`form="bulk"`), so everything works without
 * JavaScript. /assets/staff-keys.js adds keyboard shortcuts.
 */
export function QueuePage({ viewer, query, items, pageSize, staffNames, notice, errors }: QueuePageProps) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <StaffLayout locale={viewer.locale} title={t.queueTitle} viewer={viewer} scripts={['/assets/staff-keys.js']}>
      <h1>{t.queueTitle}</h1>
      <Notice text={notice} />
      <StaffErrorSummary errors={errors} locale={viewer.locale} />
      <QueueFilters locale={viewer.locale} query={query} />
      {items.length === 0 ? (
        <p class="empty">{t.queueEmpty}</p>
      ) : (
        <>
          <BulkForm viewer={viewer} query={query} />
          <p class="hint keys-hint">{t.keysHint}</p>
          <ol class="queue">
            {items.map((item) => (
              <QueueItemView viewer={viewer} item={item} query={query} staffNames={staffNames} />
            ))}
          </ol>
        </>
      )}
      <Pager locale={viewer.locale} query={query} hasNext={items.length === pageSize} />
    </StaffLayout>
  );
}

function QueueFilters({ locale, query }: { locale: Locale; query: QueueQuery }) {
  const t = STAFF_TEXT[locale];
  const yesNo = (name: 'pow' | 'flagged', label: string) => (
    <label>
      {label}
      <select name={name}>
        <option value="">{t.filterAny}</option>
        <option value="yes" selected={query[name] === 'yes'}>
          {t.answerYes}
        </option>
        <option value="no" selected={query[name] === 'no'}>
          {t.answerNo}
        </option>
      </select>
    </label>
  );
  return (
    <form method="get" action="/staff/queue" class="filters">
      <label>
        {t.filterChannel}
        <select name="channel">
          <option value="">{t.filterAny}</option>
          {CHANNELS.map((c) => (
            <option value={c} selected={query.channel === c}>
              {channelName(c, locale)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.filterLanguage}
        <select name="language">
          <option value="">{t.filterAny}</option>
          {LOCALES.map((l) => (
            <option value={l} selected={query.language === l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {yesNo('pow', t.filterProofOfWork)}
      {yesNo('flagged', t.filterFlagged)}
      <button type="submit" class="secondary">
        {t.filterApply}
      </button>
    </form>
  );
}

function BulkForm({ viewer, query }: { viewer: ConsoleViewer; query: QueueQuery }) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <form method="post" action="/staff/queue/bulk" id="bulk" class="bulk">
      <CsrfField viewer={viewer} />
      <input type="hidden" name="q" value={queueSearch(query).slice(1)} />
      <p class="hint">{t.bulkHint}</p>
      <button type="submit" name="action" value="approve">
        {t.bulkApprove}
      </button>{' '}
      <label for="bulk-reason" class="inline">
        {t.reasonLabel}
      </label>{' '}
      <ReasonSelect locale={viewer.locale} id="bulk-reason" required={false} />{' '}
      <button type="submit" name="action" value="reject" class="danger">
        {t.bulkReject}
      </button>
    </form>
  );
}

function Pager({ locale, query, hasNext }: { locale: Locale; query: QueueQuery; hasNext: boolean }) {
  const t = STAFF_TEXT[locale];
  if (query.page === 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={t.pagerLabel}>
      {query.page > 1 && (
        <a href={queueHref({ ...query, page: query.page - 1 })} rel="prev">
          {t.previousPage}
        </a>
      )}{' '}
      <span>{t.pageNumber.replace('{n}', String(query.page))}</span>{' '}
      {hasNext && (
        <a href={queueHref({ ...query, page: query.page + 1 })} rel="next">
          {t.nextPage}
        </a>
      )}
    </nav>
  );
}
