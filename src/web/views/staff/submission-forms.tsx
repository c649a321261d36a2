import type { QueueItem } from '../../../commands/review-queue.js';
import type { FieldError } from '../../../domain/service-error.js';
import { LIMITS } from '../../../domain/submission.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { StaffFieldErrors, staffDescribedBy } from './staff-errors.js';
import { CsrfField } from './staff-layout.js';
import { shortId, submissionHref } from './submission-parts.js';

export interface EditValues {
  title: string;
  text: string;
}

/** Edit title and text before publication (redaction); the original is kept for the audit. */
export function EditForm({ viewer, item, errors, values }: { viewer: ConsoleViewer; item: QueueItem; errors: FieldError[]; values?: EditValues | undefined }) {
  const t = STAFF_TEXT[viewer.locale];
  const shown = values ?? { title: item.title ?? '', text: item.text ?? '' };
  return (
    <form method="post" action={`${submissionHref(item.id)}/edit`} class="edit">
      <CsrfField viewer={viewer} />
      <fieldset>
        <legend>{t.editLegend}</legend>
        <p class="hint">{t.editHint}</p>
        <label for="edit-title">{t.titleLabel}</label>
        <StaffFieldErrors errors={errors} field="title" locale={viewer.locale} />
        <input id="edit-title" name="title" value={shown.title} maxLength={LIMITS.title.max} {...staffDescribedBy(errors, 'title')} />
        <label for="edit-text">{t.textLabel}</label>
        <StaffFieldErrors errors={errors} field="text" locale={viewer.locale} />
        <textarea id="edit-text" name="text" rows={10} {...staffDescribedBy(errors, 'text')}>
          {shown.text}
        </textarea>
        <p class="actions">
          <button type="submit">{t.saveEdit}</button>
        </p>
      </fieldset>
    </form>
  );
}

/** Mark as a duplicate: of one of the hinted submissions, or of any id typed in. */
export function DuplicateForm({ viewer, item, errors, value }: { viewer: ConsoleViewer; item: QueueItem; errors: FieldError[]; value?: string | undefined }) {
  const t = STAFF_TEXT[viewer.locale];
  const hinted = [...new Set([...item.hints.sameName, ...item.hints.nearText].map((h) => h.id))];
  return (
    <form method="post" action={`${submissionHref(item.id)}/duplicate`} class="duplicate">
      <CsrfField viewer={viewer} />
      <fieldset>
        <legend>{t.duplicateLegend}</legend>
        <label for="duplicate-of">{t.duplicateOfLabel}</label>
        <StaffFieldErrors errors={errors} field="of" locale={viewer.locale} />
        <input id="duplicate-of" name="of" value={value ?? ''} autocomplete="off" spellcheck={false} {...staffDescribedBy(errors, 'of')} />
        <p class="actions">
          <button type="submit">{t.markDuplicate}</button>
        </p>
        {/* After the typed id's button: Enter in the id field must not pick a hint. */}
        {hinted.length > 0 && (
          <fieldset class="choices">
            <legend>{t.duplicateOfHinted}</legend>
            {hinted.map((id) => (
              <button type="submit" name="ofHint" value={id} class="secondary">
                {t.markDuplicateOf.replace('{id}', shortId(id))}
              </button>
            ))}
          </fieldset>
        )}
      </fieldset>
    </form>
  );
}

/** Feature as an article on the public site, or stop featuring it. */
export function FeatureForm({ viewer, item }: { viewer: ConsoleViewer; item: QueueItem }) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <form method="post" action={`${submissionHref(item.id)}/feature`} class="feature">
      <CsrfField viewer={viewer} />
      <input type="hidden" name="featured" value={item.featured ? 'no' : 'yes'} />
      <p class="hint">{item.featured ? t.featuredNow : t.notFeaturedNow}</p>
      <button type="submit" class="secondary">
        {item.featured ? t.unfeatureButton : t.featureButton}
      </button>
    </form>
  );
}
