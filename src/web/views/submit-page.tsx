import type { Locale } from '../../domain/locales.js';
import type { FieldError } from '../../domain/service-error.js';
import { LIMITS } from '../../domain/submission.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { DeclarantFieldset } from './declarant-fieldset.js';
import { describedBy, ErrorSummary, FieldErrors } from './field-errors.js';
import type { SubmitFormValues } from './form-values.js';
import { Layout } from './layout.js';

export interface SubmitPageProps {
  locale: Locale;
  values: SubmitFormValues;
  errors: FieldError[];
  /** Whether an age recipient is configured; without one the contact field is not offered. */
  acceptsContact: boolean;
}

/**
 * The statement form. It works with JavaScript off; with it on, /assets/proof-of-work.js
 * solves an ALTCHA challenge and fills the hidden `altcha` field before sending.
 */
export function SubmitPage({ locale, values, errors, acceptsContact }: SubmitPageProps) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.submitTitle} path="/submit" scripts={['/assets/proof-of-work.js']}>
      <h1>{t.submitTitle}</h1>
      <p>{t.submitIntro}</p>
      <ErrorSummary errors={errors} locale={locale} />
      <form method="post" action={`/${locale}/submit`} class="submit" data-challenge-url="/api/v1/challenge" novalidate>
        <input type="hidden" name="language" value={locale} />
        <FieldErrors errors={errors} field="declarants" locale={locale} />
        {values.declarants.map((d, index) => (
          <DeclarantFieldset locale={locale} index={index} values={d} errors={errors} />
        ))}

        <fieldset>
          <legend>{t.statementLegend}</legend>
          <label for="title">{t.title}</label>
          <FieldErrors errors={errors} field="title" locale={locale} />
          <input id="title" name="title" value={values.title} maxLength={LIMITS.title.max} {...describedBy(errors, 'title')} />
          <label for="text">{t.text}</label>
          <p class="hint">{t.textHint}</p>
          <FieldErrors errors={errors} field="text" locale={locale} />
          <textarea id="text" name="text" rows={10} {...describedBy(errors, 'text')}>
            {values.text}
          </textarea>
        </fieldset>

        {acceptsContact && (
          <fieldset>
            <legend>{t.contact}</legend>
            <p class="hint">{t.contactHint}</p>
            <FieldErrors errors={errors} field="contact" locale={locale} />
            <textarea id="contact" name="contact" rows={3} aria-label={t.contact} {...describedBy(errors, 'contact')}>
              {values.contact}
            </textarea>
          </fieldset>
        )}

        <div class="hp" aria-hidden="true">
          <label for="website">{t.honeypot}</label>
          <input id="website" name="website" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <FieldErrors errors={errors} field="website" locale={locale} />
        <FieldErrors errors={errors} field="altcha" locale={locale} />
        <input type="hidden" name="altcha" value="" />
        <noscript>
          <p class="hint">{t.proofOfWorkNoScript}</p>
        </noscript>
        <p class="pow-status hint" aria-live="polite" data-working={t.proofOfWorkWorking} data-done={t.proofOfWorkDone}></p>

        <p class="actions">
          <button type="submit" class="button">
            {t.send}
          </button>
          {values.declarants.length < LIMITS.declarants && (
            <button type="submit" name="action" value="add-person" class="secondary">
              {t.addPerson}
            </button>
          )}
        </p>
      </form>
    </Layout>
  );
}
