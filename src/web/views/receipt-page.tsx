import type { ReceiptStatus } from '../../commands/receipt-reader.js';
import type { Locale } from '../../domain/locales.js';
import type { FieldError } from '../../domain/service-error.js';
import type { Status } from '../../domain/statuses.js';
import { canRetract } from '../../domain/statuses.js';
import { UI_TEXT, type UiText } from '../i18n/ui-text.js';
import { describedBy, ErrorSummary, FieldErrors } from './field-errors.js';
import { Layout } from './layout.js';

export interface ReceiptPageProps {
  locale: Locale;
  /** What was typed, kept on an error; the receipt travels only in POST bodies, never in a URL. */
  receipt: string;
  errors: FieldError[];
  status?: ReceiptStatus;
  justRetracted?: boolean;
}

const STATUS_TEXT: Record<Status, keyof UiText> = {
  pending: 'statusPending',
  published: 'statusPublished',
  rejected: 'statusRejected',
  duplicate: 'statusDuplicate',
  retracted: 'statusRetracted',
};

/** Look-up form for a receipt, and the status of the statement once found, with the retract button. */
export function ReceiptPage({ locale, receipt, errors, status, justRetracted }: ReceiptPageProps) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.receiptTitle} path="/receipt">
      <h1>{t.receiptTitle}</h1>
      {justRetracted && (
        <p class="notice" role="status">
          {t.retractedNotice}
        </p>
      )}
      {status ? <StatusSection locale={locale} status={status} receipt={receipt} /> : <p>{t.receiptIntro}</p>}
      <ErrorSummary errors={errors} locale={locale} />
      {!status && (
        <form method="post" action={`/${locale}/receipt`} novalidate>
          <label for="receipt">{t.receiptInput}</label>
          <FieldErrors errors={errors} field="receipt" locale={locale} />
          <input
            id="receipt"
            name="receipt"
            value={receipt}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            {...describedBy(errors, 'receipt')}
          />
          <p class="actions">
            <button type="submit" class="button">
              {t.receiptCheck}
            </button>
          </p>
        </form>
      )}
    </Layout>
  );
}

function StatusSection({ locale, status, receipt }: { locale: Locale; status: ReceiptStatus; receipt: string }) {
  const t = UI_TEXT[locale];
  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">{t.statusTitle}</h2>
      <dl class="status">
        <dt>{t.statusLabel}</dt>
        <dd data-status={status.status}>{t[STATUS_TEXT[status.status]]}</dd>
        <dt>{t.receivedOn}</dt>
        <dd>{status.receivedOn}</dd>
        <dt>{t.people}</dt>
        <dd>{status.declarants.map((d) => d.displayName).join('、')}</dd>
        {status.registrationNumbers.length > 0 && (
          <>
            <dt>{t.registrationNumbers}</dt>
            <dd>{status.registrationNumbers.join(', ')}</dd>
          </>
        )}
      </dl>
      {canRetract(status.status) && (
        <form method="post" action={`/${locale}/receipt/retract`} class="retract">
          <h3>{t.retractTitle}</h3>
          <p>{t.retractIntro}</p>
          <input type="hidden" name="receipt" value={receipt} />
          <button type="submit" class="danger">
            {t.retractButton}
          </button>
        </form>
      )}
    </section>
  );
}
