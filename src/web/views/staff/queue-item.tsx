import type { QueueItem } from '../../../commands/review-queue.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import type { QueueQuery } from '../../routes/staff/queue-query.js';
import { ApproveForm, RejectForm } from './review-forms.js';
import { DeclarantList, Flags, HintList, shortId, StatementText, submissionHref, utcMinute } from './submission-parts.js';

interface Props {
  viewer: ConsoleViewer;
  item: QueueItem;
  query: QueueQuery;
  staffNames: ReadonlyMap<string, string>;
}

/** One pending submission in the queue. Focusable, so that j/k can move between items. */
export function QueueItemView({ viewer, item, query, staffNames }: Props) {
  const t = STAFF_TEXT[viewer.locale];
  const to = { kind: 'queue', query } as const;
  const selectId = `select-${item.id}`;
  return (
    <li class="queue-item" id={`item-${item.id}`} tabIndex={-1} data-id={item.id}>
      <p class="item-head">
        <input type="checkbox" name="ids" value={item.id} form="bulk" id={selectId} class="select" />{' '}
        <label for={selectId} class="inline">
          {t.selectItem}
        </label>{' '}
        <a href={submissionHref(item.id)}>{shortId(item.id)}</a> · <time dateTime={item.receivedAt}>{utcMinute(item.receivedAt)}</time>
        {item.enteredBy && ` · ${t.enteredBy.replace('{name}', staffNames.get(item.enteredBy) ?? shortId(item.enteredBy))}`}
      </p>
      <Flags item={item} locale={viewer.locale} />
      <DeclarantList item={item} locale={viewer.locale} />
      <StatementText item={item} locale={viewer.locale} />
      <HintList item={item} locale={viewer.locale} />
      <div class="item-actions">
        <ApproveForm viewer={viewer} id={item.id} to={to} />
        <RejectForm viewer={viewer} id={item.id} to={to} />
      </div>
    </li>
  );
}
