import type { Locale } from '../../domain/locales.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { Layout } from './layout.js';

/** A localized error page for requests from a browser. */
export function ErrorPage({ locale, message }: { locale: Locale; message: string }) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.errorTitle} path="/">
      <h1>{t.errorTitle}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={`/${locale}/`}>{t.backHome}</a>
      </p>
    </Layout>
  );
}
