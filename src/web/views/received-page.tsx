import type { Locale } from '../../domain/locales.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { Layout } from './layout.js';

/** Shown once after a successful submission: the receipt, and the advice to keep it. Never cached. */
export function ReceivedPage({ locale, receipt }: { locale: Locale; receipt: string }) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.receivedTitle} path="/submit">
      <h1>{t.receivedTitle}</h1>
      <p>{t.receivedIntro}</p>
      <p class="receipt-label">{t.receiptLabel}</p>
      <p class="receipt" data-receipt>
        <output>{receipt}</output>
      </p>
      <p class="warning">{t.receivedWarning}</p>
      <p>
        <a href={`/${locale}/receipt`}>{t.navReceipt}</a>
      </p>
    </Layout>
  );
}
